import { examples, type Register } from '../shared.js';
import { registerProductAdd } from './add.js';
import { registerProductEdit } from './edit.js';
import { registerProductList } from './list.js';

export const registerProduct: Register = (program, context) => {
  const product = program.command('product').description('the product catalogue order lines are picked from').addHelpText('after', examples('crm product add --name Widget --price 19.99 --tax 23', 'crm product list'));
  for (const r of [registerProductAdd, registerProductList, registerProductEdit]) r(product, context);
};
