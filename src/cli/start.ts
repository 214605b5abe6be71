/**
 * What a bin runs first. A bare `--version` is answered before commander and the commands load:
 * it is what scripts and package managers call most, and it needs nothing else.
 */
import { VERSION } from '../version.js';

type Main = (argv: string[]) => Promise<number>;

export async function start(load: () => Promise<{ main: Main }>, argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { main } = await load();
  return main(argv);
}
