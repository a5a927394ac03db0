import type { Register } from '../shared.js';
import { registerBackupCommand } from './backup.js';
import { registerRestore } from './restore.js';

/** crm backup and crm restore: two top-level commands, kept together because restore reads what backup writes. */
export const registerBackup: Register = (program, context) => {
  registerBackupCommand(program, context);
  registerRestore(program, context);
};
