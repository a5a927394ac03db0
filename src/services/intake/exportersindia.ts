import { ExternalServiceError } from '../../errors.js';
import { keyed } from '../../domain/keyed.js';

/** One inquiry as ExportersIndia's API returns it (see /work/shared/INTEGRATIONS.md); every field may be missing. */
export interface Inquiry {
  inq_id: string;
  inq_type?: string;
  name?: string;
  email?: string;
  alt_email?: string;
  mobile?: string;
  alt_mobile?: string;
  company?: string;
  address?: string;
  city?: string;
  state?: string;
  country?: string;
  subject?: string;
  product?: string;
  detail_req?: string;
  enq_date?: string;
  [field: string]: unknown;
}

export interface FetchOptions {
  baseUrl: string;
  siteKey: string;
  siteId: string;
  /** YYYY-MM-DD */
  since: string;
  timeoutMs: number;
}

const HINT = { id: 'marketplace.status' } as const;

/**
 * GET <base>/api-inquiry-detail.php. Only a JSON array or the no-record object is an answer;
 * anything else (HTTP errors, HTML pages, malformed JSON, timeouts) is an ExternalServiceError.
 * Messages never include the URL: it carries the site key.
 */
export async function fetchInquiries(o: FetchOptions): Promise<Inquiry[]> {
  // axios is loaded only here: `crm lead add` and every other command never pay for it.
  const { default: axios } = await import('axios');
  let status: number;
  let body: string;
  try {
    const res = await axios.get<string>(`${o.baseUrl.replace(/\/+$/, '')}/api-inquiry-detail.php`, {
      params: { k: o.siteKey, email: o.siteId, date_from: o.since },
      timeout: o.timeoutMs,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxContentLength: 50 * 1024 * 1024,
    });
    status = res.status;
    body = typeof res.data === 'string' ? res.data : String(res.data ?? '');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const what = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' ? `did not answer within ${o.timeoutMs / 1000} s` : `could not be reached (${e.code ?? e.message ?? 'network error'})`;
    throw new ExternalServiceError(`ExportersIndia ${what}`, HINT);
  }
  if (status < 200 || status >= 300) throw new ExternalServiceError(`ExportersIndia answered HTTP ${status}`, HINT);
  const text = body.trim();
  if (text.startsWith('<')) throw new ExternalServiceError('ExportersIndia answered with an HTML page, not JSON', HINT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ExternalServiceError(`ExportersIndia answered malformed JSON: ${JSON.stringify(text.slice(0, 60))}`, HINT);
  }
  if (Array.isArray(parsed)) {
    return parsed.map((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw new ExternalServiceError(`ExportersIndia answered a malformed inquiry (item ${i + 1} is not an object)`, HINT);
      const inq = item as Record<string, unknown>;
      const id = inq['inq_id'];
      if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
        throw new ExternalServiceError(`ExportersIndia answered a malformed inquiry (item ${i + 1} has no inq_id)`, HINT);
      }
      const out = keyed<string>() as Inquiry;
      out.inq_id = String(id).trim();
      for (const [k, v] of Object.entries(inq)) if (k !== 'inq_id' && (typeof v === 'string' || typeof v === 'number')) out[k] = String(v).trim();
      return out;
    });
  }
  if (parsed && typeof parsed === 'object' && typeof (parsed as { msg?: unknown }).msg === 'string') {
    const msg = (parsed as { msg: string }).msg;
    if (/no record/i.test(msg)) return [];
    throw new ExternalServiceError(`ExportersIndia refused the request: ${msg}`, { id: 'marketplace.check-set' });
  }
  throw new ExternalServiceError('ExportersIndia answered JSON that is neither a list of inquiries nor "No record found"', HINT);
}
