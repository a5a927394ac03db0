import { examples, type Register } from '../shared.js';
import { registerOrderAdd } from './add.js';
import { registerOrderBill } from './bill.js';
import { registerOrderCancel } from './cancel.js';
import { registerOrderEdit } from './edit.js';
import { registerOrderList } from './list.js';
import { registerOrderShow } from './show.js';

export const registerOrder: Register = (program, context) => {
  const order = program.command('order').description('orders: draft, bill into an invoice, cancel').addHelpText('after', examples('crm order add --lead 12 --item "Installation; price=250; tax=23"', 'crm order bill 7', 'crm order list --status billed'));
  for (const r of [registerOrderAdd, registerOrderList, registerOrderShow, registerOrderEdit, registerOrderBill, registerOrderCancel]) r(order, context);
};
