/**
 * The suppression list's key (issue 20): erased people's emails and phones are kept only as
 * these hashes, so that an add, a form, an inquiry or an import from them again is caught.
 */
import { hash } from 'node:crypto';

/** The suppression list's key of an email (lower-cased) or a phone (as the store keeps it): SHA-256, hex. */
export function contactHash(kind: 'email' | 'phone', value: string): string {
  // crypto.hash (Node ≥ 20.12): the one-shot form, ~5× faster than createHash per value, which an
  // import with a suppression list pays for every email and phone of every row.
  return hash('sha256', `${kind}:${kind === 'email' ? value.trim().toLowerCase() : value.trim()}`, 'hex');
}

/** The reason a refused import row gives (privacy.suppressed refuse). */
export const SUPPRESSED_REASON = 'suppressed (erased contact)';

/** The timeline note on a lead added although its email or phone belongs to an erased person (privacy.suppressed flag). */
export const SUPPRESSED_NOTE = 'This email or phone belonged to a person erased at their request: check they asked to be contacted again.';
