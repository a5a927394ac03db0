import { UsageError } from '../../errors.js';

/** The <id> argument of `outbox show` and `outbox retry`. */
export function outboxId(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid id '${raw}'`, 'give the number shown by crm outbox list');
  return n;
}
