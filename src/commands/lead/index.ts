import { examples, type Register } from '../shared.js';
import { registerLeadAdd } from './add.js';
import { registerLeadAssign } from './assign.js';
import { registerLeadConsent } from './consent.js';
import { registerLeadConvert } from './convert.js';
import { registerLeadDelete, registerLeadRestore } from './delete.js';
import { registerLeadEdit } from './edit.js';
import { registerLeadExport } from './export.js';
import { registerLeadImport } from './import.js';
import { registerLeadList } from './list.js';
import { registerLeadLose } from './lose.js';
import { registerLeadMerge } from './merge.js';
import { registerLeadMove } from './move.js';
import { registerLeadNote } from './note.js';
import { registerLeadShow } from './show.js';
import { registerLeadPerson } from './person/index.js';

export const registerLead: Register = (program, context) => {
  const lead = program.command('lead').description('leads: add, list, show, edit, move through the pipeline, convert').addHelpText('after', examples('crm lead add --name "Ana Sousa" --email ana@sousa.example --source Website', 'crm lead list --mine --stage Qualified', 'crm lead move 12 Demo'));
  registerLeadAdd(lead, context);
  registerLeadList(lead, context);
  registerLeadShow(lead, context);
  for (const r of [registerLeadEdit, registerLeadMove, registerLeadNote, registerLeadAssign, registerLeadConvert, registerLeadLose, registerLeadConsent, registerLeadMerge, registerLeadDelete, registerLeadRestore]) {
    r(lead, context);
  }
  registerLeadPerson(lead, context);
  registerLeadImport(lead, context);
  registerLeadExport(lead, context);
};
