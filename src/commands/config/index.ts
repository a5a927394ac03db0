import type { Register } from '../shared.js';
import { registerConfigGet } from './get.js';
import { registerConfigList } from './list.js';
import { registerConfigSet } from './set.js';

export const registerConfig: Register = (program, context) => {
  const config = program.command('config').description('team settings stored in the store (currency, phone region, junk rules)');
  for (const r of [registerConfigList, registerConfigGet, registerConfigSet]) r(config, context);
};
