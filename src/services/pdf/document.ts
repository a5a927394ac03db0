/**
 * What every business PDF shares (proposals P2, invoices O1), drawn with pdfkit (imported here
 * only, when a PDF is made): the look from the settings (business name and address, logo, font),
 * the header, a table of lines, a column of totals, and deterministic bytes for a fixed creation
 * time. By default the text is in Helvetica, a PDF standard font, so nothing is embedded; it
 * covers Latin-1 (Windows-1252) only, which is why amounts are written with the currency code
 * (EUR 1,234.50), not a symbol. A TrueType/OpenType font file (setting proposal.font) is embedded
 * instead, for names in other scripts.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { formatMoney, minorToDecimal } from '../../io/format.js';
import type { Store } from '../../store/types.js';
import { effectiveSetting } from '../settings/service.js';

/** The seller's side of every PDF. */
export interface PdfLook {
  businessName: string;
  /** Lines of the business address (setting business.address, lines separated by ; or a new line). */
  address: string[];
  /** PNG or JPEG bytes. */
  logo?: Buffer;
  /** A TrueType or OpenType font to embed for all text (default: Helvetica, Latin-1 only). */
  font?: Buffer;
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

/** A file a setting points to, read and checked (proposal.logo, proposal.font); undefined when the setting is empty. */
function settingFile(path: string, setting: string, is: (bytes: Buffer) => unknown, kind: string, example: string): Buffer | undefined {
  if (!path) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new UsageError(`the ${setting.split('.')[1]} file '${path}' (setting ${setting}) cannot be read`, { id: 'setting.file', setting, example });
  }
  if (!is(bytes)) throw new UsageError(`the ${setting.split('.')[1]} file '${path}' is not ${kind}`, `use ${kind} for ${setting}`);
  return bytes;
}

/** The look of every PDF, from the settings: business name and address, logo, font. */
export async function pdfLook(store: Store): Promise<PdfLook> {
  const s = await store.settings.all();
  const get = (key: string) => effectiveSetting(s, {}, key);
  return {
    businessName: get('business.name'),
    address: get('business.address').split(/\s*(?:;|\n)\s*/).filter(Boolean),
    logo: settingFile(get('proposal.logo'), 'proposal.logo', imageKind, 'a PNG or JPEG image', 'FILE'),
    font: settingFile(get('proposal.font'), 'proposal.font', isFont, 'a TrueType or OpenType font (.ttf, .otf)', 'FILE.ttf'),
  };
}

/** An amount without its currency code, thousands grouped: 1,234.50. */
export const pdfAmount = (minor: number, currency: string) => {
  const [whole, frac] = minorToDecimal(Math.abs(minor), currency).split('.');
  return `${minor < 0 ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
};

export interface PdfColumn {
  h: string;
  /** Share of the text width. */
  w: number;
  align: 'left' | 'right';
}

/** A PDF being drawn: the pdfkit document, its fonts and text box, and the shared parts. */
export interface PdfPage {
  doc: PDFKit.PDFDocument;
  regular: string;
  bold: string;
  left: number;
  width: number;
  bottom(): number;
  /** Logo, business name and address. */
  header(): void;
  /** A table with a bold heading row; rows break onto new pages. */
  table(cols: PdfColumn[], rows: string[][]): void;
  /** Label and amount pairs at the right (negative amounts as "- EUR 1.00"); bold rows larger. */
  totals(rows: [label: string, minor: number, bold: boolean][], currency: string): void;
  /** Ends the document: its bytes. */
  finish(): Promise<Buffer>;
}

/**
 * Opens an A4 document. Its metadata carries `createdAt` as both creation and modification time,
 * and pdfkit derives the file ID from the metadata, so the same input gives the same bytes.
 */
export async function openPdf(look: PdfLook, info: { title: string; subject: string; createdAt: Date }): Promise<PdfPage> {
  const mod = await import('pdfkit');
  const PDFDocument = ((mod as any).default ?? mod) as typeof import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4', margin: 50,
    info: { Title: info.title, Author: look.businessName || 'crm', Subject: info.subject, CreationDate: info.createdAt, ModDate: info.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  let regular = 'Helvetica';
  let bold = 'Helvetica-Bold';
  if (look.font) {
    doc.registerFont('business-font', look.font);
    regular = bold = 'business-font';
  }
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  return {
    doc, regular, bold, left, width, bottom,
    header() {
      // Logo on the left, business name beside it (or alone), the address under the name.
      const top = doc.y;
      const x = look.logo ? left + 135 : left;
      if (look.logo) doc.image(look.logo, left, top, { fit: [120, 60] });
      if (look.businessName) doc.font(bold).fontSize(18).text(look.businessName, x, top + (look.logo ? 18 : 0), { width: width - (x - left) });
      if (look.address.length) {
        doc.font(regular).fontSize(9);
        for (const line of look.address) doc.text(line, x, doc.y, { width: width - (x - left) });
      }
      if (look.logo) doc.y = Math.max(doc.y, top + 66);
      doc.x = left;
    },
    table(cols, rows) {
      const row = (cells: string[], isHead: boolean) => {
        doc.font(isHead ? bold : regular).fontSize(9);
        const heights = cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.w * width - 6 }));
        const h = Math.max(...heights) + 6;
        if (doc.y + h > bottom()) doc.addPage();
        const y = doc.y;
        let x = left;
        cells.forEach((c, i) => {
          doc.text(c, x + 3, y + 3, { width: cols[i]!.w * width - 6, align: cols[i]!.align });
          x += cols[i]!.w * width;
        });
        doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(isHead ? 1 : 0.3).stroke();
        doc.x = left;
        doc.y = y + h;
      };
      row(cols.map((c) => c.h), true);
      for (const r of rows) row(r, false);
    },
    totals(rows, currency) {
      for (const [label, minor, isBold] of rows) {
        if (doc.y + 16 > bottom()) doc.addPage();
        const y = doc.y;
        doc.font(isBold ? bold : regular).fontSize(isBold ? 11 : 10);
        doc.text(label, left + width * 0.4, y, { width: width * 0.32, align: 'right' });
        const text = minor < 0 ? `- ${formatMoney(-minor, currency)}` : formatMoney(minor, currency);
        doc.text(text, left + width * 0.72, y, { width: width * 0.28, align: 'right' });
        doc.x = left;
      }
    },
    async finish() {
      doc.end();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}
