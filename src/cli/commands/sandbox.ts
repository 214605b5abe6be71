/**
 * `amo-export sandbox`: runs the amoCRM-compatible sandbox until Ctrl+C / SIGTERM, printing its URL
 * and an admin token as data so scripts and benchmarks can find it. Options only; the server
 * (sandbox-run.ts) is imported when the command runs.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CliDeps } from '../deps.js';
import { subcommand } from '../program.js';
import type { SandboxFlags } from './sandbox-run.js';

export function addSandboxCommand(program: Command, deps: CliDeps): void {
  subcommand(program, 'sandbox', 'run an amoCRM-compatible sandbox account on this computer (prints its URL and a token)', deps)
    .option('--port <n>', 'TCP port (default: any free port)')
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--contacts <n>', 'number of seeded contacts, up to 1000000', '2000')
    .option('--seed <n>', 'seed of the generated data (same seed, same data)', '1')
    .option('--latency <ms>', 'delay added to every response')
    .option('--rate-limit <rps>', 'answer 429 above this many requests per second')
    .addOption(new Option('--rate-limit-format <format>', 'body of the 429: problem+json or the gateway HTML page').choices(['json', 'html']))
    .option('--block-after <n>', 'after this many 429s, answer 403 to everything')
    .option('--faults <rate>', 'share of API requests answered 500 or 504 (0..1)')
    .option('--ignore-date-filter', 'accept but ignore filter[updated_at]/filter[created_at]')
    .option('--token-ttl <sec>', 'lifetime of OAuth access tokens')
    .option('--bulk-edit-size <n>', 'contacts sharing one updated_at second (default 1200)')
    .action(async (_opts: SandboxFlags, cmd: Command) => {
      await (await import('./sandbox-run.js')).runSandbox(cmd.optsWithGlobals<SandboxFlags>(), deps);
    });
}
