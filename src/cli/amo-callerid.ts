import { defineBin } from './program.js';
import { addAuthCommands } from './commands/auth.js';
import { addCalleridCommands } from './commands/callerid.js';

export const main = defineBin('amo-callerid', 'build caller-ID datasets for iOS Call Directory and Android from amoCRM phone numbers', [
  addCalleridCommands,
  addAuthCommands,
]);
