import { resolveTimeZone } from '../../services/time/parse.js';
import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { editLead } from '../../services/leads/service.js';
import { collect, examples, outputFlags, repeat, type Register } from '../shared.js';
import { leadFieldOptions, leadInputFromFlags, type LeadFieldFlags } from './options.js';
import { leadJson } from './render.js';

export const registerLeadEdit: Register = (parent, context) => {
  const cmd = leadFieldOptions(
    parent
      .command('edit')
      .description('change a lead’s fields (--email/--phone/--tag replace the list; --add-…/--remove-… change one); each change goes on the timeline').addHelpText('after', examples('crm lead edit 12 --value 15000 --expected-close 2026-12-31', 'crm lead edit 12 --add-phone "+91 98765 43210" --add-tag vip', 'crm lead edit 12 --status junk'))
      .argument('<id>', 'lead id')
      .option('--add-tag <tag>', 'add tag(s)', collect)
      .option('--remove-tag <tag>', 'remove tag(s)', collect)
      .option('--add-email <email>', 'add an email, keeping the others (repeatable)', repeat)
      .option('--remove-email <email>', 'remove this email (repeatable)', repeat)
      .option('--add-phone <phone>', 'add a phone, keeping the others (repeatable)', repeat)
      .option('--remove-phone <phone>', 'remove this phone, written any way (repeatable)', repeat)
      .option('--status <status>', 'active | junk | archived'),
  );
  outputFlags(cmd).action(async (rawId: string, opts: LeadFieldFlags & { addTag?: string[]; removeTag?: string[]; addEmail?: string[]; removeEmail?: string[]; addPhone?: string[]; removePhone?: string[]; status?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const lead = await editLead(svc, parseId(rawId), { ...leadInputFromFlags(opts), timeZone: resolveTimeZone(undefined, ctx.timeZone), status: opts.status, addTags: opts.addTag, removeTags: opts.removeTag,
      addEmails: opts.addEmail, removeEmails: opts.removeEmail, addPhones: opts.addPhone, removePhones: opts.removePhone });
    if (opts.json) printJson(ctx.io, leadJson(lead));
    else ctx.io.out(`Updated lead ${lead.id}: ${lead.name}`);
  });
};
