import { defineBin } from './program.js';
import { addAuthCommands } from './commands/auth.js';
import { addDoctorCommands } from './commands/doctor.js';

export const main = defineBin('amo-doctor', 'check why an Android phone does not identify amoCRM clients on incoming calls, over adb', [
  addDoctorCommands,
  addAuthCommands,
]);
