/**
 * The proposal PDF (P2), drawn with pdfkit (imported here only, when a PDF is made). By default
 * the text is in Helvetica, a PDF standard font, so nothing is embedded; it covers Latin-1
 * (Windows-1252) only, which is why amounts are written with the currency code (EUR 1,234.50),
 * not a symbol. A TrueType/OpenType font file (setting proposal.font) is embedded instead, for
 * names in other scripts.
 */
import { currencyDigits, formatMoney, minorToDecimal } from '../../io/format.js';
import type { Lead } from '../../domain/leads.js';
import type { Proposal } from '../../domain/proposals.js';

export interface PdfInput {
  businessName: string;
  /** PNG or JPEG bytes. */
  logo?: Buffer;
  /** A TrueType or OpenType font to embed for all text (default: Helvetica, Latin-1 only). */
  font?: Buffer;
  proposal: Pick<Proposal, 'id' | 'revision' | 'subject' | 'body' | 'currency' | 'items' | 'subtotalMinor' | 'discountMinor' | 'taxMinor' | 'totalMinor' | 'validUntil'>;
  lead: Pick<Lead, 'id' | 'name' | 'businessName' | 'emails' | 'phones' | 'address'>;
  /** The document date, YYYY-MM-DD. */
  date: string;
  /** Fixed creation time (tests and re-renders produce the same metadata). */
  createdAt: Date;
}

/** Whether bytes are a TrueType or OpenType font. */
export function isFont(bytes: Buffer): boolean {
  if (bytes.length < 12) return false;
  const tag = bytes.readUInt32BE(0);
  return tag === 0x00010000 || tag === 0x4f54544f /* OTTO */ || tag === 0x74727565 /* true */;
}

/** Whether bytes are a PNG or JPEG image (the formats pdfkit draws). */
export function imageKind(bytes: Buffer): 'png' | 'jpeg' | undefined {
  if (bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

const amount = (minor: number, currency: string) => {
  const [whole, frac] = minorToDecimal(minor, currency).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
};

export async function renderProposalPdf(input: PdfInput): Promise<Buffer> {
  const mod = await import('pdfkit');
  const PDFDocument = ((mod as any).default ?? mod) as typeof import('pdfkit');
  const { proposal: p, lead } = input;
  const title = `Proposal ${p.id}${p.revision > 1 ? ` (revision ${p.revision})` : ''}`;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Author: input.businessName || 'crm', Subject: p.subject, CreationDate: input.createdAt, ModDate: input.createdAt } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  let regular = 'Helvetica';
  let boldFont = 'Helvetica-Bold';
  if (input.font) {
    doc.registerFont('proposal-font', input.font);
    regular = boldFont = 'proposal-font';
  }
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  // Header: logo on the left, business name beside it (or alone).
  let top = doc.y;
  if (input.logo) {
    doc.image(input.logo, left, top, { fit: [120, 60] });
    doc.font(boldFont).fontSize(18).text(input.businessName, left + 135, top + 18, { width: width - 135 });
    doc.y = Math.max(doc.y, top + 66);
  } else if (input.businessName) {
    doc.font(boldFont).fontSize(18).text(input.businessName, left, top, { width });
  }
  doc.moveDown(0.5);
  doc.font(boldFont).fontSize(14).text(title, left, doc.y, { width });
  doc.font(regular).fontSize(10);
  doc.text(`Date: ${input.date}`);
  doc.text(p.validUntil ? `Valid until: ${p.validUntil}` : 'Valid until: no expiry');
  doc.moveDown(0.8);

  doc.font(boldFont).text('Prepared for');
  doc.font(regular);
  for (const line of [lead.name, lead.businessName, lead.address, lead.emails[0], lead.phones[0]]) if (line) doc.text(line, { width });
  doc.moveDown(0.8);

  doc.font(boldFont).fontSize(12).text(p.subject, { width });
  doc.moveDown(0.4);
  doc.font(regular).fontSize(10).text(p.body.trimEnd(), { width });
  doc.moveDown(1);

  if (p.items.length) {
    const cols = [
      { h: 'Description', w: 0.38, align: 'left' as const },
      { h: 'Qty', w: 0.08, align: 'right' as const },
      { h: `Unit price`, w: 0.16, align: 'right' as const },
      { h: 'Disc. %', w: 0.1, align: 'right' as const },
      { h: 'Tax %', w: 0.1, align: 'right' as const },
      { h: `Amount (${p.currency})`, w: 0.18, align: 'right' as const },
    ];
    const row = (cells: string[], bold: boolean) => {
      doc.font(bold ? boldFont : regular).fontSize(9);
      const heights = cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.w * width - 6 }));
      const h = Math.max(...heights) + 6;
      if (doc.y + h > bottom()) doc.addPage();
      const y = doc.y;
      let x = left;
      cells.forEach((c, i) => {
        doc.text(c, x + 3, y + 3, { width: cols[i]!.w * width - 6, align: cols[i]!.align });
        x += cols[i]!.w * width;
      });
      doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(bold ? 1 : 0.3).stroke();
      doc.x = left;
      doc.y = y + h;
    };
    row(cols.map((c) => c.h), true);
    for (const it of p.items) {
      row([it.description, it.quantity, amount(it.unitPriceMinor, p.currency), it.discountPct, it.taxPct, amount(it.grossMinor, p.currency)], false);
    }
    doc.moveDown(0.8);
    const totals: [string, number, boolean][] = [
      ['Subtotal', p.subtotalMinor, false],
      ['Discount', -p.discountMinor, false],
      ['Tax', p.taxMinor, false],
      ['Total', p.totalMinor, true],
    ];
    for (const [label, minor, bold] of totals) {
      if (doc.y + 16 > bottom()) doc.addPage();
      const y = doc.y;
      doc.font(bold ? boldFont : regular).fontSize(bold ? 11 : 10);
      doc.text(label, left + width * 0.5, y, { width: width * 0.22, align: 'right' });
      const text = minor < 0 ? `- ${formatMoney(-minor, p.currency)}` : formatMoney(minor, p.currency);
      doc.text(text, left + width * 0.72, y, { width: width * 0.28, align: 'right' });
      doc.x = left;
    }
    doc.moveDown(0.6);
    doc.font(regular).fontSize(8).fillColor('#555555')
      .text(`Amounts in ${p.currency} with ${currencyDigits(p.currency)} decimal place(s); discount and tax are rounded per line.`, left, doc.y, { width });
    doc.fillColor('black');
  }
  doc.moveDown(1);
  doc.font(regular).fontSize(9).text(p.validUntil ? `This proposal is valid until ${p.validUntil}.` : 'This proposal has no expiry date.', left, doc.y, { width });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
