import type { Register } from '../shared.js';
import { registerTagAdd } from './add.js';
import { registerTagList } from './list.js';
import { registerTagRemove } from './remove.js';
import { registerTagRename } from './rename.js';

export const registerTag: Register = (program, context) => {
  const tag = program.command('tag').description('tags: list, add, rename, remove');
  for (const r of [registerTagList, registerTagAdd, registerTagRename, registerTagRemove]) r(tag, context);
};
