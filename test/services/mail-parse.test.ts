import { describe, expect, it } from 'vitest';
import { findCompany, findPhones, inquiryFacts, ownText, skipReason, type MailFacts } from '../../src/services/intake/mail-parse.js';
import { phoneNormalizer } from '../../src/services/leads/normalize.js';

const mail = (o: Partial<MailFacts> = {}): MailFacts => ({
  from: { address: 'buyer@importers.example', name: 'Buyer' }, replyTo: null, subject: 'Inquiry', text: '', headers: new Map(), ...o,
});

describe('reading an inquiry email', () => {
  it('finds labelled phones first, validates them, and ignores dates, order numbers and quoted text', async () => {
    const phone = await phoneNormalizer('IN');
    const text = 'Order 2026-11-20, ref 123456789012.\nCall me on 022 2345 6789 or\nMobile: +91 98765 43210\n> +91 99999 88888';
    expect(findPhones(ownText(text), phone)).toEqual(['+919876543210', '+912223456789']);
    expect(findPhones('No numbers here, just 12/11/2026 and 500 m.', phone)).toEqual([]);
    // Without a region a number needs its country code.
    expect(findPhones('Tel: 98765 43210', await phoneNormalizer(undefined))).toEqual([]);
  });

  it('takes the company from a Company: line, else from a signature line with a company word', () => {
    expect(findCompany('Hi\nCompany name: Rao & Sons\nThanks')).toBe('Rao & Sons');
    expect(findCompany('Please quote.\n\nKind regards,\nAsha Rao\nHead of Purchasing\nRao Exports Pvt. Ltd.\n+91 98765 43210')).toBe('Rao Exports Pvt. Ltd.');
    expect(findCompany('Please quote.\n\nThanks,\nAsha Rao\nHead of Purchasing')).toBeNull();
    expect(findCompany('We are a big company in Pune.')).toBeNull();
  });

  it('cuts the quoted reply from the text', () => {
    expect(ownText('Yes, go ahead.\n\nOn Mon, 23 Nov 2026 at 09:00, Acme <sales@acme.example> wrote:\n> Shall we ship?\n> Regards')).toBe('Yes, go ahead.');
  });

  it('tells auto-replies, bounces and our own mail from inquiries', () => {
    expect(skipReason(mail({ headers: new Map([['auto-submitted', 'no']]) }), [])).toBeNull();
    expect(skipReason(mail({ headers: new Map([['auto-submitted', 'auto-generated']]) }), [])).toMatchObject({ kind: 'auto-reply' });
    expect(skipReason(mail({ headers: new Map([['precedence', 'auto_reply']]) }), [])).toMatchObject({ kind: 'auto-reply' });
    expect(skipReason(mail({ headers: new Map([['x-autoreply', 'yes']]) }), [])).toMatchObject({ kind: 'auto-reply' });
    expect(skipReason(mail({ from: { address: 'postmaster@mx.example', name: '' } }), [])).toMatchObject({ kind: 'bounce' });
    expect(skipReason(mail({ headers: new Map<string, unknown>([['content-type', { value: 'multipart/report', params: { 'report-type': 'delivery-status' } }]]) }), [])).toMatchObject({ kind: 'bounce' });
    expect(skipReason(mail(), ['BUYER@importers.example'])).toMatchObject({ kind: 'own mail' });
    expect(skipReason(mail(), ['sales@acme.example'])).toBeNull();
  });

  it('names the contact from Reply-To, the display name, or a Name: line', async () => {
    const phone = await phoneNormalizer('IN');
    expect(inquiryFacts(mail({ from: { address: 'x@y.example', name: 'x@y.example' }, text: 'Name: Ravi Shankar\nneed a quote' }), phone)).toMatchObject({ email: 'x@y.example', name: 'Ravi Shankar' });
    expect(inquiryFacts(mail({ from: { address: 'no-reply@site.example', name: 'Website' }, replyTo: { address: 'v@visitor.example', name: '' } }), phone)).toMatchObject({ email: 'v@visitor.example', name: null });
  });
});
