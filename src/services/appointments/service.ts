import { ConflictError, NotFoundError, PermissionError, UsageError, fieldRef, say } from '../../errors.js';
import type { Appointment, AppointmentKind, AppointmentQuery, AppointmentStatus } from '../../domain/appointments.js';
import type { Stage } from '../../domain/pipeline.js';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from '../../domain/appointments.js';
import { seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { oneOf } from '../followups/service.js';
import { getLead, moveLead } from '../leads/service.js';
import { enqueueForEvent } from '../notify/enqueue.js';
import { normalizeEmail } from '../leads/normalize.js';
import { dateOrderOf, parseDuration, parseTime, startOfLocalDay, startOfLocalMonth } from '../time/parse.js';

export interface AppointmentInput {
  leadId?: number;
  kind?: string;
  at?: string;
  duration?: string;
  location?: string;
  with?: string[];
  /** Allows a time in the past (recording one that already happened). */
  past?: boolean;
}

export async function getAppointment(ctx: Pick<ServiceContext, 'store' | 'actor'>, id: number): Promise<Appointment> {
  const a = await ctx.store.appointments.get(id);
  if (!a) throw new NotFoundError(`no appointment with id ${id}`, { id: 'appointment.list' });
  if (!seesAllLeads(ctx.actor) && !a.participants.some((p) => p.userId === ctx.actor.id)) {
    const lead = await ctx.store.leads.get(a.leadId);
    if (!lead?.assignees.some((x) => x.id === ctx.actor.id)) throw new PermissionError(`appointment ${id} is not yours (${ctx.actor.email})`, 'ask a manager or admin');
  }
  return a;
}

export async function addAppointment(ctx: ServiceContext, input: AppointmentInput, opts: { timeZone: string }): Promise<Appointment> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  if (input.leadId === undefined) throw new UsageError('an appointment needs a lead', { id: 'pass', field: 'lead', value: '<id>' });
  if (!input.at) throw new UsageError('an appointment needs a time', { id: 'appointment.at' });
  const kind = oneOf<AppointmentKind>(input.kind ?? 'meeting', APPOINTMENT_KINDS, 'kind');
  const start = await parseTime(input.at, 'at', { now, timeZone: opts.timeZone, dateOrder: await dateOrderOf(ctx.store, ctx.actor), forward: !input.past });
  if (start < now && !input.past) {
    throw new UsageError(`the appointment time ${start.toISOString()} is in the past`, { id: 'appointment.past' });
  }
  const seconds = input.duration ? parseDuration(input.duration, 'duration') : 30 * 60;
  if (seconds % 60 !== 0) throw new UsageError(`invalid duration '${input.duration}': appointments last whole minutes`, 'e.g. 45m or 1h30m');
  const location = input.location?.trim() || null;
  return store.transaction(async () => {
    const lead = await getLead(ctx, input.leadId!);
    const emails = input.with?.length ? input.with : [actor.email];
    const participants: Appointment['participants'] = [];
    for (const raw of emails) {
      const email = normalizeEmail(raw, 'participant');
      const user = await store.users.byEmail(email);
      if (!participants.some((p) => p.email.toLowerCase() === email.toLowerCase())) participants.push({ email: user?.email ?? email, userId: user?.id ?? null });
    }
    const id = await store.appointments.insert({
      leadId: lead.id, kind, startAt: start.toISOString(), endAt: new Date(start.getTime() + seconds * 1000).toISOString(),
      durationMinutes: seconds / 60, location, participants, createdBy: actor.id,
    }, at);
    await store.activities.add({
      leadId: lead.id, type: 'appointment', at, userId: actor.id, body: location,
      data: { appointmentId: id, kind, startAt: start.toISOString(), durationMinutes: seconds / 60, with: participants.map((p) => p.email) },
    });
    return (await store.appointments.get(id))!;
  });
}

const NEXT: Record<'confirm' | 'complete' | 'cancel' | 'no-show', { from: AppointmentStatus[]; to: AppointmentStatus }> = {
  confirm: { from: ['scheduled'], to: 'confirmed' },
  complete: { from: ['scheduled', 'confirmed'], to: 'completed' },
  cancel: { from: ['scheduled', 'confirmed'], to: 'cancelled' },
  'no-show': { from: ['scheduled', 'confirmed'], to: 'no-show' },
};

export interface AppointmentChange {
  appointment: Appointment;
  /** The stage the lead moved to, when a demo's confirmation or completion moved it. */
  movedTo: string | null;
}

/** The configured stage, checked: a misspelt setting is reported, not ignored. */
async function configuredStage(ctx: ServiceContext, key: string): Promise<Stage | undefined> {
  const name = (await ctx.store.settings.get(key))?.trim();
  if (!name) return undefined;
  const stage = (await ctx.store.stages.list()).find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!stage) throw new NotFoundError(`setting ${key} names stage '${name}', which does not exist`, { id: 'setting.stage', key });
  return stage;
}

/** Demo → lead stage: confirming moves to demo.confirmed-stage, completing to demo.completed-stage or the stage after it. Only forward. */
async function demoStage(ctx: ServiceContext, action: 'confirm' | 'complete'): Promise<Stage | undefined> {
  const confirmed = await configuredStage(ctx, 'demo.confirmed-stage');
  if (action === 'confirm') return confirmed;
  const completed = await configuredStage(ctx, 'demo.completed-stage');
  if (completed || !confirmed) return completed;
  const stages = await ctx.store.stages.list();
  return stages.find((s) => s.position > confirmed.position && s.outcome !== 'lost');
}

export async function changeAppointment(ctx: ServiceContext, id: number, action: keyof typeof NEXT, note?: string): Promise<AppointmentChange> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  const step = NEXT[action];
  return store.transaction(async () => {
    const before = await getAppointment(ctx, id);
    if (!step.from.includes(before.status)) {
      throw new ConflictError(`appointment ${id} is ${before.status}; only a ${step.from.join(' or ')} one can be marked ${step.to}`);
    }
    if ((action === 'complete' || action === 'no-show') && new Date(before.startAt) > now) {
      throw new UsageError(`appointment ${id} starts ${before.startAt}, in the future`, 'it can be completed or marked no-show once it has started');
    }
    await store.appointments.update(id, {
      status: step.to,
      ...(action === 'confirm' ? { confirmedAt: at } : {}),
      ...(action === 'complete' ? { completedAt: at, outcome: note?.trim() || null } : {}),
      ...(action === 'cancel' || action === 'no-show' ? { cancelledAt: at, outcome: note?.trim() || null } : {}),
    }, at);
    await store.activities.add({
      leadId: before.leadId, type: `appointment-${step.to}`, at, userId: actor.id, body: note?.trim() || null,
      data: { appointmentId: id, kind: before.kind, startAt: before.startAt },
    });
    let movedTo: string | null = null;
    if (before.kind === 'demo' && (action === 'confirm' || action === 'complete')) {
      const target = await demoStage(ctx, action);
      if (target) {
        const lead = await getLead(ctx, before.leadId);
        const stages = await store.stages.list();
        const current = stages.find((s) => s.name === lead.stage);
        if (lead.stageOutcome === 'open' && current && target.position > current.position) {
          await moveLead(ctx, lead.id, target.name);
          movedTo = target.name;
        }
      }
    }
    if (before.kind === 'demo' && (action === 'confirm' || action === 'complete')) {
      // N4: the client, managers and rep hear of it in the transaction that records it.
      await enqueueForEvent(store, {
        type: action === 'confirm' ? 'demo.confirmed' : 'demo.completed', leadId: before.leadId, at, key: `appointment${id}/${step.to}`,
        vars: { at: before.startAt, kind: before.kind, location: before.location ?? '' },
      });
    }
    return { appointment: (await store.appointments.get(id))!, movedTo };
  });
}

export interface AppointmentFilter {
  today?: boolean;
  tomorrow?: boolean;
  thisMonth?: boolean;
  status?: string;
  lead?: number;
  mine?: boolean;
  limit?: number;
}

export async function listAppointments(ctx: ServiceContext, f: AppointmentFilter, opts: { timeZone: string }): Promise<Appointment[]> {
  if ([f.today, f.tomorrow, f.thisMonth].filter(Boolean).length > 1) throw new UsageError(say`choose one of ${fieldRef('today')}, ${fieldRef('tomorrow')}, ${fieldRef('thisMonth')}`);
  const tz = opts.timeZone;
  const q: AppointmentQuery = { limit: f.limit };
  if (f.today) [q.startFrom, q.startBefore] = [startOfLocalDay(ctx.now, tz).toISOString(), startOfLocalDay(ctx.now, tz, 1).toISOString()];
  else if (f.tomorrow) [q.startFrom, q.startBefore] = [startOfLocalDay(ctx.now, tz, 1).toISOString(), startOfLocalDay(ctx.now, tz, 2).toISOString()];
  else if (f.thisMonth) [q.startFrom, q.startBefore] = [startOfLocalMonth(ctx.now, tz).toISOString(), startOfLocalMonth(ctx.now, tz, 1).toISOString()];
  else if (f.lead === undefined) q.startFrom = startOfLocalDay(ctx.now, tz).toISOString();
  if (f.status && f.status !== 'all') q.statuses = f.status.split(',').map((s) => oneOf<AppointmentStatus>(s, APPOINTMENT_STATUSES, 'status'));
  if (f.lead !== undefined) q.leadId = (await getLead(ctx, f.lead)).id;
  if (f.mine || !seesAllLeads(ctx.actor)) q.visibleTo = ctx.actor.id;
  const rows = await ctx.store.appointments.list(q);
  return f.mine && seesAllLeads(ctx.actor) ? rows.filter((a) => a.participants.some((p) => p.userId === ctx.actor.id)) : rows;
}

