import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where profiles, tokens and watermarks live. AMO_PHONEBOOK_CONFIG_DIR moves it (tests, several
 * installations side by side); otherwise the XDG config directory, as conf would pick.
 */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.AMO_PHONEBOOK_CONFIG_DIR) return env.AMO_PHONEBOOK_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'amo-phonebook');
}
