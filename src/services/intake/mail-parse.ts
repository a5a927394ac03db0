/**
 * What an inquiry email says about its sender (C5), from a message mailparser has parsed. Kept
 * free of IMAP and of the store so the heuristics can be read and tested on their own:
 *
 * - Contact: the Reply-To address when there is one (web forms mail from a no-reply address with
 *   the visitor as Reply-To), else From; the display name of that address, else a "Name:" line
 *   in the body.
 * - Phones: numbers on "Phone / Tel / Mobile / Cell / WhatsApp:" lines first, then any other
 *   run of 7+ digits (with spaces, dots, dashes, brackets) in the body not right after "order",
 *   "ref", "invoice", "GST", "PIN"… , each checked with libphonenumber through the team's phone
 *   normalisation (so a number without +country code needs phone.region); at most two are kept.
 * - Company: a "Company / Company name / Organisation / Firm:" line, else a signature line after a
 *   sign-off ("Regards,", "Thanks,", "-- "…) that carries a company word (Ltd, Pvt, LLC, Inc,
 *   GmbH, Industries, Exports, Traders…). Nothing else is guessed.
 * - Quoted replies ("> " lines and everything from "On … wrote:") are left out of the search and
 *   of the text kept on the timeline.
 * - Skipped, not leads: auto-replies (Auto-Submitted other than "no", Precedence bulk / junk /
 *   list / auto_reply, X-Autoreply, X-Autorespond), bounces (from MAILER-DAEMON or postmaster, a
 *   delivery-status report, X-Failed-Recipients) and our own mail (from smtp.from or the mailbox).
 */

export interface Address {
  address: string;
  name: string;
}

export interface MailFacts {
  from: Address | null;
  replyTo: Address | null;
  subject: string | null;
  text: string;
  /** Header names in lower case (as mailparser gives them). */
  headers: Map<string, unknown>;
}

export interface InquiryFacts {
  email: string | null;
  name: string | null;
  phones: string[];
  company: string | null;
  /** The body without the quoted reply, for the timeline. */
  text: string;
}

const MAX_TEXT = 10_000;

/** mailparser gives most headers as strings, structured ones (Content-Type…) as {value, params}. */
export function headerText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return headerText(v[0]);
  if (typeof v === 'object' && 'value' in v) {
    const o = v as { value: unknown; params?: Record<string, string> };
    return [headerText(o.value), ...Object.entries(o.params ?? {}).map(([k, p]) => `${k}=${p}`)].join('; ');
  }
  return String(v);
}

export type SkipKind = 'auto-reply' | 'bounce' | 'own mail';

/** Why a message is not an inquiry, or null when it is one. */
export function skipReason(m: MailFacts, ownAddresses: string[]): { kind: SkipKind; reason: string } | null {
  const from = m.from?.address.toLowerCase() ?? '';
  const own = ownAddresses.map((a) => a.trim().toLowerCase()).filter(Boolean);
  if (from && own.includes(from)) return { kind: 'own mail', reason: `from our own address ${from}` };
  const local = from.split('@')[0] ?? '';
  const contentType = headerText(m.headers.get('content-type')).toLowerCase();
  if (local === 'mailer-daemon' || local === 'postmaster') return { kind: 'bounce', reason: `bounce from ${from}` };
  if (contentType.startsWith('multipart/report') && contentType.includes('delivery-status')) return { kind: 'bounce', reason: 'a delivery-status report' };
  if (m.headers.has('x-failed-recipients')) return { kind: 'bounce', reason: 'X-Failed-Recipients header' };
  const auto = headerText(m.headers.get('auto-submitted')).trim().toLowerCase();
  if (auto && auto !== 'no') return { kind: 'auto-reply', reason: `Auto-Submitted: ${auto}` };
  const precedence = headerText(m.headers.get('precedence')).trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return { kind: 'auto-reply', reason: `Precedence: ${precedence}` };
  for (const h of ['x-autoreply', 'x-autorespond']) if (m.headers.has(h)) return { kind: 'auto-reply', reason: `${h} header` };
  return null;
}

/** The body without the quoted reply it carries ("On … wrote:" and "> " lines), trimmed. */
export function ownText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*On .{4,200} wrote:\s*$/i.test(line) || /^-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  const t = out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT)}…` : t;
}

const LABELLED_PHONE = /^\s*(?:phone|ph|tel|telephone|mobile|mob|cell|cellphone|whats ?app|contact(?: no\.?| number)?)\b[^:\n\d+]{0,20}[:.\-]\s*(.+)$/gim;
const PHONE_RUN = /(?<![\w+@.])(?:\+|00)?\(?\d[\d \t().-]{5,18}\d(?![\w@])/g;
/** Digits right after these words are an order, invoice, tax or postal number, not a phone. */
const NOT_A_PHONE = /\b(?:order|ref|reference|invoice|inv|po|id|no|nos|number|qty|quantity|gst|gstin|vat|pin|pincode|zip|postcode|account|a\/c|iban)\b\W{0,4}$|#\s*$/i;
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[.-]\d{1,2}[.-]\d{2,4}$/;

/** Up to two valid phone numbers from the body, labelled ones first (normalize throws on an invalid one). */
export function findPhones(text: string, normalize: (raw: string) => string): string[] {
  const found: string[] = [];
  const tryAdd = (raw: string) => {
    const candidate = raw.trim();
    if (DATE_LIKE.test(candidate) || candidate.replace(/\D/g, '').length < 7) return;
    try {
      const p = normalize(candidate);
      if (!found.includes(p)) found.push(p);
    } catch {
      // Not a phone number: digits of an order, a date, a postcode…
    }
  };
  for (const m of text.matchAll(LABELLED_PHONE)) for (const run of m[1]!.matchAll(PHONE_RUN)) tryAdd(run[0]);
  for (const run of text.matchAll(PHONE_RUN)) if (!NOT_A_PHONE.test(text.slice(Math.max(0, run.index - 24), run.index))) tryAdd(run[0]);
  return found.slice(0, 2);
}

const LABELLED_COMPANY = /^\s*(?:company(?: name)?|organi[sz]ation|firm|business name)\s*[:\-–]\s*(.{2,100}?)\s*$/im;
const SIGN_OFF = /^\s*(?:(?:best|kind|warm|with)?\s*regards|thanks?(?: you)?(?:\s*(?:&|and)\s*regards)?|best(?: wishes)?|cheers|sincerely|yours (?:truly|sincerely|faithfully)|--)\s*[,.!]?\s*$/i;
const COMPANY_WORD = /\b(?:ltd|limited|llc|llp|inc|incorporated|corp|corporation|gmbh|pvt|plc|lda|s\.?a|co|company|industries|enterprises|exports?|imports?|traders|trading|technologies|solutions|group|labs?)\b\.?/i;

/** The company named on a "Company:" line, else on a signature line with a company word. */
export function findCompany(text: string): string | null {
  const labelled = LABELLED_COMPANY.exec(text);
  if (labelled) return labelled[1]!.trim();
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!SIGN_OFF.test(lines[i]!)) continue;
    for (const line of lines.slice(i + 1, i + 7).map((l) => l.trim())) {
      if (!line || line.length > 80 || /[@:]|https?:|www\./i.test(line) || /\d{5,}/.test(line.replace(/[\s().-]/g, ''))) continue;
      if (COMPANY_WORD.test(line)) return line;
    }
    break;
  }
  return null;
}

function nameFromBody(text: string): string | null {
  const m = /^\s*(?:name|full name|your name)\s*[:\-–]\s*(.{2,80}?)\s*$/im.exec(text);
  return m ? m[1]!.trim() : null;
}

const realName = (a: Address | null) => {
  const n = a?.name?.trim().replace(/^["']|["']$/g, '') ?? '';
  return n && n.toLowerCase() !== a?.address.toLowerCase() ? n : null;
};

/** Who wrote and how to reach them (see the module comment for the rules). */
export function inquiryFacts(m: MailFacts, normalizePhone: (raw: string) => string): InquiryFacts {
  const contact = m.replyTo?.address ? m.replyTo : m.from;
  const text = ownText(m.text);
  return {
    email: contact?.address ?? null,
    name: realName(contact) ?? nameFromBody(text),
    phones: findPhones(text, normalizePhone),
    company: findCompany(text),
    text,
  };
}
