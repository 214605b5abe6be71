import { defineBin } from './program.js';
import { addAuthCommands } from './commands/auth.js';
import { addExportCommands } from './commands/export.js';
import { exportStatus } from './commands/export-status.js';
import { addSandboxCommand } from './commands/sandbox.js';

export const main = defineBin('amo-export', 'export amoCRM contacts by period to vCard and Google/Outlook CSV', [
  addExportCommands,
  (program, deps) => addAuthCommands(program, deps, { statusExtra: exportStatus }),
  addSandboxCommand,
]);
