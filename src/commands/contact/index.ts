import { examples, type Register } from '../shared.js';
import { registerContactErase } from './erase.js';
import { registerContactExport } from './export.js';

export const registerContact: Register = (program, context) => {
  const contact = program.command('contact').description("a person's data: export everything stored about them, or erase them").addHelpText('after', examples('crm contact export 12 -o ana.json', 'crm contact erase ana@sousa.example --yes'));
  for (const r of [registerContactExport, registerContactErase]) r(contact, context);
};
