import { examples, type Register } from '../../shared.js';
import { registerPersonAdd } from './add.js';
import { registerPersonEdit } from './edit.js';
import { registerPersonList } from './list.js';
import { registerPersonRemove } from './remove.js';

/** `crm lead person …`: under lead, since a person belongs to one company lead or customer (customers are leads too). */
export const registerLeadPerson: Register = (lead, context) => {
  const person = lead.command('person').description('contact persons of a company lead or customer').addHelpText('after', examples('crm lead person add 12 --name "Rui Costa" --role CFO --email rui@sousa.example', 'crm lead person list 12'));
  for (const r of [registerPersonAdd, registerPersonList, registerPersonEdit, registerPersonRemove]) r(person, context);
};
