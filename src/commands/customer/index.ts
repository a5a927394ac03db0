import { examples, type Register } from '../shared.js';
import { registerLeadList } from '../lead/list.js';
import { registerLeadShow } from '../lead/show.js';

/** Customers are converted leads: the same records, listed and shown by type. */
export const registerCustomer: Register = (program, context) => {
  const customer = program.command('customer').description('customers (converted leads): list, show').addHelpText('after', examples('crm customer list --mine', 'crm customer show 12'));
  registerLeadList(customer, context, 'customer');
  registerLeadShow(customer, context, 'customer');
};
