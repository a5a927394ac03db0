import type { Command } from 'commander';
import type { LeadInput } from '../../services/leads/service.js';
import { collect, keyValue, repeat } from '../shared.js';

/** Flags shared by `lead add` and `lead edit`. */
export function leadFieldOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'person’s or company’s name')
    .option('--business <name>', 'business name')
    .option('--kind <kind>', 'person | company')
    .option('--email <email>', 'email (repeatable)', repeat)
    .option('--phone <phone>', 'phone, normalised to E.164 (repeatable)', repeat)
    .option('--source <source>', 'where the lead came from (crm source list)')
    .option('--score <0-100>', 'lead score')
    .option('--value <amount>', 'deal value, e.g. 12000, 12,000.50 or 12.000,50')
    .option('--currency <code>', 'ISO 4217 currency of the value (default: the team’s)')
    .option('--expected-close <date>', 'expected close date: 2026-12-31, 31/12/2026 (team date order), "end of month" (crm help dates)')
    .option('--tag <tag>', 'tag (repeatable or comma-separated)', collect)
    .option('--birthday <date>', 'YYYY-MM-DD or MM-DD')
    .option('--address <text>', 'postal address')
    .option('--field <key=value>', 'custom field (repeatable)', keyValue);
}

export interface LeadFieldFlags {
  name?: string;
  business?: string;
  kind?: string;
  email?: string[];
  phone?: string[];
  source?: string;
  score?: string;
  value?: string;
  currency?: string;
  expectedClose?: string;
  tag?: string[];
  birthday?: string;
  address?: string;
  field?: Record<string, string>;
}

export function leadInputFromFlags(o: LeadFieldFlags): LeadInput {
  return {
    name: o.name,
    businessName: o.business,
    kind: o.kind,
    emails: o.email,
    phones: o.phone,
    source: o.source,
    score: o.score,
    value: o.value,
    currency: o.currency,
    expectedClose: o.expectedClose,
    tags: o.tag,
    birthday: o.birthday,
    address: o.address,
    custom: o.field,
  };
}
