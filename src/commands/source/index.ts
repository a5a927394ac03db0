import { examples, type Register } from '../shared.js';
import { registerSourceAdd } from './add.js';
import { registerSourceList } from './list.js';
import { registerSourceRemove } from './remove.js';
import { registerSourceRename } from './rename.js';

export const registerSource: Register = (program, context) => {
  const source = program.command('source').description('sources: list, add, rename, remove').addHelpText('after', examples('crm source list', 'crm source add "Trade show"'));
  for (const r of [registerSourceList, registerSourceAdd, registerSourceRename, registerSourceRemove]) r(source, context);
};
