import { formatMoney, formatTimestamp } from '../../io/format.js';
import { visible, visibleCell } from '../../io/visible.js';
import { PermissionError } from '../../errors.js';
import { seesAllLeads } from '../../services/access.js';
import {
  boardVersion, cardOf, loadBoard, loadColumnCards, loseCard, moveCard, noteCard, reassignCard, type Board, type BoardCard, type BoardFilter,
} from '../../services/board/service.js';
import type { ServiceContext } from '../../services/context.js';
import { showLead } from '../../services/leads/service.js';
import { addFollowUp } from '../../services/followups/service.js';
import { dialLead } from '../../services/calls/twilio.js';
import { resolveTimeZone } from '../../services/time/parse.js';
import type { BoardApi } from '../../ui/board/controller.js';
import { errorText, hintText, type Said } from '../hints.js';
import type { LeadView } from '../../ui/board/state.js';
import { describeActivity, whoDid } from '../lead/render.js';
import { isVerifiedPhone } from '../../domain/leads.js';

/** The ink board draws what it is given: names from outside reach it with their controls escaped. */
function shownCard(c: BoardCard): BoardCard {
  return { ...c, name: visibleCell(c.name), businessName: c.businessName === null ? null : visibleCell(c.businessName), assignees: c.assignees.map(visibleCell) };
}

function shownBoard(b: Board): Board {
  return { ...b, columns: b.columns.map((c) => ({ ...c, cards: c.cards.map(shownCard) })) };
}

/**
 * The board's access to the CRM: the same services the CLI verbs call. `services` gives a
 * fresh context per call, so every change is stamped with the time it was made.
 */
export function createBoardApi(services: () => Promise<ServiceContext>, filter: BoardFilter, timeZone?: string, voice?: { env: Record<string, string | undefined>; callbackBase: () => Promise<string | undefined> }): BoardApi {
  const withSearch = (search: string): BoardFilter => ({ ...filter, search: search.trim() || undefined });
  return {
    async load({ search, loaded, expanded }) {
      return shownBoard(await loadBoard(await services(), withSearch(search), { loaded, expanded }));
    },
    async cards(stageId, search, offset, limit) {
      const page = await loadColumnCards(await services(), withSearch(search), stageId, offset, limit);
      return { ...page, cards: page.cards.map(shownCard) };
    },
    async move(id, stage) {
      return shownCard(await moveCard(await services(), id, stage));
    },
    async lose(id, reason, stage) {
      return shownCard(await loseCard(await services(), id, reason, stage));
    },
    async assign(id, email) {
      return shownCard(await reassignCard(await services(), id, email));
    },
    async note(id, text) {
      return shownCard(await noteCard(await services(), id, text));
    },
    async followUp(id, title, start) {
      const svc = await services();
      // Typed times are read in the user's zone, as `crm followup add` reads them.
      const zone = resolveTimeZone(undefined, timeZone);
      const { followUp } = await addFollowUp(svc, { leadId: id, title, start: start.trim() || undefined }, { timeZone: zone });
      return { card: shownCard(await cardOf(svc, id)), startAt: formatTimestamp(followUp.startAt, zone) };
    },
    async show(id) {
      const { lead, timeline } = await showLead(await services(), id);
      const view: LeadView = {
        title: visibleCell(`${lead.type === 'customer' ? 'Customer' : 'Lead'} ${lead.id}: ${lead.name}${lead.businessName ? ` — ${lead.businessName}` : ''}`),
        fields: (
          [
            ['stage', `${lead.stage} (${lead.stageProbability}%)`],
            ['status', lead.status === 'active' ? '' : lead.status],
            ['lost reason', lead.lostReason ?? ''],
            ['source', lead.source ?? ''],
            ['value', formatMoney(lead.valueMinor, lead.currency)],
            ['score', String(lead.score)],
            ['expected close', lead.expectedClose ?? ''],
            ['emails', lead.emails.join(', ')],
            ['phones', lead.phones.map((p) => (isVerifiedPhone(p) ? p : `${p} (unverified)`)).join(', ')],
            ['assigned to', lead.assignees.map((a) => `${a.name} <${a.email}>`).join(', ')],
            ['tags', lead.tags.join(', ')],
            ['created', `${formatTimestamp(lead.createdAt, timeZone)}${lead.createdBy ? ` by ${lead.createdBy}` : ''}`],
          ] as [string, string][]
        ).filter(([, v]) => v !== '').map(([k, v]) => [k, visible(v)]),
        timeline: timeline.map((a) => ({ at: formatTimestamp(a.at, timeZone), text: visible(describeActivity(a, timeZone)), user: whoDid(a) ? visibleCell(whoDid(a)!) : null })),
      };
      return view;
    },
    async dial(id) {
      const r = await dialLead(await services(), { leadId: id }, { env: voice?.env ?? {}, callbackBase: await voice?.callbackBase() });
      return visibleCell(`Calling ${r.lead} at ${r.number}: your phone (${r.rings}) rings first. Wrap up after with crm call wrap-up.`);
    },
    async users() {
      const { store, actor } = await services();
      // The same rule and words as assignLead, before offering a list the rep could not use.
      if (!seesAllLeads(actor)) throw new PermissionError(`${actor.email} is a rep and may not reassign leads`, 'ask a manager or admin');
      return (await store.users.list()).filter((u) => u.active).map((u) => ({ email: u.email, name: u.name, role: u.role }));
    },
    async version() {
      return boardVersion(await services());
    },
    describe(err) {
      // Structural, not instanceof: the board's UI bundle is apart from the services that throw.
      const e = err as Said | undefined;
      return e?.message !== undefined ? { text: errorText(e), hint: hintText(e) } : { text: String(err) };
    },
  };
}
