import { readFileSync } from 'node:fs';

// Works from src/ (tests) and dist/ (installed package): both sit one level below package.json.
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
