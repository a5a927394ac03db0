import { examples, type Register } from '../shared.js';
import { registerConfigGet } from './get.js';
import { registerConfigList } from './list.js';
import { registerConfigSet } from './set.js';
import { registerConfigUnset } from './unset.js';

export const registerConfig: Register = (program, context) => {
  const config = program
    .command('config')
    .description('team settings stored in the store (currency, phone region, junk rules); --mine: your personal ones (timezone, date-order, board.filter, call.identity)')
    .addHelpText('after', examples('crm config list', 'crm config set --mine timezone Europe/Lisbon', 'crm config set date-order dmy'));
  for (const r of [registerConfigList, registerConfigGet, registerConfigSet, registerConfigUnset]) r(config, context);
};
