import { examples, type Register } from '../shared.js';
import { registerTagAdd } from './add.js';
import { registerTagList } from './list.js';
import { registerTagRemove } from './remove.js';
import { registerTagRename } from './rename.js';

export const registerTag: Register = (program, context) => {
  const tag = program.command('tag').description('tags: list, add, rename, remove').addHelpText('after', examples('crm tag list', 'crm tag add priority', 'crm lead edit 12 --add-tag priority'));
  for (const r of [registerTagList, registerTagAdd, registerTagRename, registerTagRemove]) r(tag, context);
};
