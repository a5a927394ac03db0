import type { Command } from 'commander';
import { parseId } from '../../services/leads/normalize.js';
import { showLead } from '../../services/leads/service.js';
import type { LeadType } from '../../domain/leads.js';
import { examples, outputFlags, type ContextFactory } from '../shared.js';
import { printLeadShow } from './render.js';

/** `lead show` and `customer show`: profile and timeline, the 360° view. */
export function registerLeadShow(parent: Command, context: ContextFactory, type?: LeadType): void {
  const cmd = parent.command('show').description(`show a ${type ?? 'lead'} with its timeline`).addHelpText('after', examples(`crm ${type ?? 'lead'} show 12`, `crm ${type ?? 'lead'} show 12 --json`)).argument('<id>', 'id');
  outputFlags(cmd).action(async (rawId: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const view = await showLead(svc, parseId(rawId, type ?? 'lead'), type);
    await printLeadShow(ctx, view.lead, view.timeline, opts.json, view);
  });
}
