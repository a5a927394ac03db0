import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonText } from '../../io/output.js';
import { exportContact, type ContactExport } from '../../services/people/service.js';
import { appointmentJson } from '../appointment/render.js';
import { callJson } from '../call/render.js';
import { followUpJson } from '../followup/render.js';
import { activityJson, leadJson } from '../lead/render.js';
import { proposalJson } from '../proposal/render.js';
import { consentJson } from '../lead/consent.js';
import { currentConsent } from '../../domain/consent.js';
import { examples, outputFlags, type Register } from '../shared.js';

/** The export document; its schema is docs/contact-export.schema.json. */
export function contactExportJson(x: ContactExport, now: Date) {
  return {
    schema: 'crm-contact-export/1',
    exportedAt: x.exportedAt,
    exportedBy: x.exportedBy,
    emails: x.emails,
    phones: x.phones,
    leads: x.leads.map((l) => ({
      ...leadJson(l.lead),
      timeline: l.timeline.map(activityJson),
      followUps: l.followUps.map((f) => followUpJson(f, now)),
      calls: l.calls.map(callJson),
      appointments: l.appointments.map(appointmentJson),
      proposals: l.proposals.map(proposalJson),
      consent: consentJson({ leadId: l.lead.id, channels: currentConsent(l.consent), history: l.consent }),
    })),
    records: x.records,
  };
}

export const registerContactExport: Register = (parent, context) => {
  const cmd = parent
    .command('export')
    .argument('<contact>', 'a lead or customer id, or an email')
    .description("everything stored about one person as one JSON document (admins and managers); every lead sharing their email or phone is included")
    .addHelpText('after', examples('crm contact export 12 -o ana.json', 'crm contact export ana@sousa.example'))
    .option('-o, --output <file>', 'write to this file (default: stdout)');
  // The document is JSON either way; --json is accepted like everywhere else.
  outputFlags(cmd).action(async (ref: string, opts: { output?: string; json?: boolean }, c) => {
      const ctx = context(c);
      const doc = contactExportJson(await exportContact(await ctx.services(), ref), ctx.now());
      const text = jsonText(doc);
      if (!opts.output) {
        ctx.io.out(text);
        return;
      }
      // Private: it holds a person's data.
      writeFileSync(resolve(opts.output), `${text}\n`, { mode: 0o600 });
      ctx.io.hint(`Wrote ${doc.leads.length} lead(s) of ${ref} to ${resolve(opts.output)}`);
    });
};
