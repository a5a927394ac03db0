import { examples, type Register } from '../shared.js';
import { registerImportList } from './list.js';
import { registerImportShow } from './show.js';
import { registerImportRejects } from './rejects.js';

export const registerImport: Register = (program, context) => {
  const imp = program.command('import').description('bulk imports: who imported what, when, with what counts (run one with crm lead import)').addHelpText('after', examples('crm import list', 'crm import show 3', 'crm import rejects 3 --dry-run'));
  registerImportList(imp, context);
  registerImportShow(imp, context);
  registerImportRejects(imp, context);
};
