import { UsageError, fieldRef, say, plainText, type Words } from '../../errors.js';
import { keyed } from '../../domain/keyed.js';

/** A lead field a CSV column can feed. Several columns may feed a list field (emails, phones, tags). */
export const IMPORT_FIELDS = [
  'name', 'firstName', 'lastName', 'businessName', 'kind', 'type', 'emails', 'phones', 'source', 'stage', 'status',
  'lostReason', 'score', 'value', 'currency', 'expectedClose', 'assign', 'tags', 'birthday', 'address', 'orderId', 'custom',
  'createdAt', 'notes', 'country', 'outcome', 'emailConsent', 'smsConsent', 'whatsappConsent', 'callConsent',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Where a column goes: a lead field, one custom field, or nowhere. */
export type Target = { field: ImportField } | { custom: string } | { ignore: string | Words };

export interface ColumnMapping {
  index: number;
  header: string;
  target: Target;
  /** How the target was chosen, for --dry-run and the summary. */
  by: 'synonym' | 'map' | 'custom' | 'ignored';
}

/** Header → field, after lower-casing and dropping everything but letters and digits. */
const SYNONYMS: Record<string, ImportField> = keyed();
const add = (field: ImportField, ...names: string[]) => names.forEach((n) => (SYNONYMS[n] = field));
add('name', 'name', 'fullname', 'contactname', 'personname', 'leadname', 'contact', 'customername', 'contactfullname');
add('firstName', 'firstname', 'first', 'givenname', 'forename', 'personfirstname');
add('lastName', 'lastname', 'last', 'surname', 'familyname', 'personlastname');
add('businessName', 'businessname', 'business', 'company', 'companyname', 'organization', 'organisation', 'organizationname', 'organisationname', 'account', 'accountname', 'firm');
add('kind', 'kind');
add('type', 'type');
add('emails', 'email', 'emails', 'emailaddress', 'emailaddresses', 'mail', 'personemail', 'workemail', 'homeemail', 'otheremail', 'email1', 'email2', 'email3', 'secondaryemail', 'personemailwork', 'personemailhome', 'personemailother');
add('phones', 'phone', 'phones', 'phonenumber', 'phonenumbers', 'mobile', 'mobilephone', 'mobilenumber', 'mobilephonenumber', 'cell', 'cellphone', 'telephone', 'tel', 'workphone', 'homephone', 'otherphone', 'personphone', 'phone1', 'phone2', 'phone3', 'whatsapp', 'personphonework', 'personphonemobile', 'personphonehome', 'personphoneother');
add('source', 'source', 'leadsource', 'originalsource', 'sourcename', 'channel', 'dealsource');
add('stage', 'stage', 'lifecyclestage', 'leadstatus', 'dealstage', 'pipelinestage', 'stagename');
add('status', 'status');
add('lostReason', 'lostreason', 'deallostreason', 'reasonlost');
add('score', 'score', 'leadscore', 'hubspotscore');
add('value', 'value', 'dealvalue', 'amount', 'dealamount', 'dealsize', 'expectedrevenue', 'opportunityamount');
add('currency', 'currency', 'dealcurrency', 'currencycode', 'currencyisocode');
add('expectedClose', 'expectedclose', 'expectedclosedate', 'closedate', 'dealexpectedclosedate', 'estimatedclosedate');
add('assign', 'assign', 'assignedto', 'assignee', 'owner', 'owneremail', 'ownername', 'leadowner', 'contactowner', 'dealowner', 'personowner', 'salesrep');
add('tags', 'tags', 'tag', 'labels', 'label', 'personlabels', 'deallabel', 'deallabels');
add('birthday', 'birthday', 'birthdate', 'dateofbirth', 'dob');
add('address', 'address', 'streetaddress', 'street', 'mailingaddress', 'fulladdress', 'postaladdress', 'personaddress', 'organizationaddress');
add('orderId', 'orderid');
add('custom', 'custom', 'customfields');
add('createdAt', 'createdat', 'created', 'createdate', 'createddate', 'createdon', 'createdtime', 'datecreated', 'creationdate', 'dealaddtime', 'personaddtime', 'addtime', 'leadcreatedate', 'contactcreatedate');
add('notes', 'notes', 'note', 'description', 'comments', 'comment', 'leaddescription', 'dealnotes', 'dealnote', 'personnotes', 'remarks');
add('country', 'country', 'countryregion', 'mailingcountry', 'personcountry', 'billingcountry', 'organizationcountry', 'countrycode', 'dealcountry');
add('outcome', 'dealstatus', 'outcome', 'opportunitystatus', 'closedstatus');
// Consent per channel (yes/no, true/false, 1/0, granted/withdrawn…): recorded with source 'import'.
add('emailConsent', 'emailconsent', 'consentemail', 'emailoptin', 'optinemail', 'emailmarketingconsent', 'newsletter', 'marketingconsent', 'consent');
add('smsConsent', 'smsconsent', 'consentsms', 'smsoptin', 'optinsms', 'textconsent');
add('whatsappConsent', 'whatsappconsent', 'consentwhatsapp', 'whatsappoptin');
add('callConsent', 'callconsent', 'consentcall', 'phoneconsent', 'consentphone');

/** Columns of crm's own export (and reject files) that an import deliberately drops. */
const IGNORED: Record<string, string> = keyed({
  id: 'crm assigns new ids',
  updatedat: 'set to the time of the import',
  createdby: 'set to the importing user',
  crmrejectline: 'a reject file’s line number',
  crmrejectreason: 'a reject file’s reason',
});

export const normHeader = (h: string) => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** `--map` right-hand sides a person may write. */
function fieldOf(raw: string): Target | undefined {
  const v = raw.trim();
  if (/^(ignore|skip|-)$/i.test(v)) return { ignore: say`ignored with ${fieldRef('map')}` };
  const custom = /^custom[:.](.+)$/i.exec(v);
  if (custom) return { custom: custom[1]!.trim() };
  const n = normHeader(v);
  const direct = IMPORT_FIELDS.find((f) => f.toLowerCase() === n);
  if (direct) return { field: direct };
  const syn = SYNONYMS[n];
  return syn ? { field: syn } : undefined;
}

export function parseMapOption(values: string[] | undefined): Map<string, Target> {
  const map = new Map<string, Target>();
  for (const value of values ?? []) {
    for (const pair of value.split(',')) {
      if (!pair.trim()) continue;
      const i = pair.lastIndexOf('=');
      if (i < 1) throw new UsageError(say`invalid ${fieldRef('map')} '${pair}'`, { id: 'import.map' });
      const column = pair.slice(0, i).trim();
      const target = fieldOf(pair.slice(i + 1));
      if (!target) {
        throw new UsageError(
          say`${fieldRef('map')} '${pair}': unknown field '${pair.slice(i + 1).trim()}'`,
          `fields are: ${IMPORT_FIELDS.join(', ')}, custom:<key>, ignore`,
        );
      }
      map.set(column.toLowerCase(), target);
    }
  }
  return map;
}

export interface MappingResult {
  columns: ColumnMapping[];
  /** Headers kept as custom fields because no synonym matched. */
  unknownAsCustom: string[];
  ignored: { header: string; why: string | Words }[];
}

/** Maps a header row to lead fields: --map first, then synonyms, then custom fields (or ignored). */
export function buildMapping(headers: string[], overrides: Map<string, Target>, opts: { ignoreUnknown?: boolean; source: string; delimiter: string }): MappingResult {
  const trimmed = headers.map((h) => h.trim());
  const lower = new Set(trimmed.map((h) => h.toLowerCase()));
  for (const column of overrides.keys()) {
    if (!lower.has(column)) {
      throw new UsageError(
        say`${fieldRef('map')} names a column '${column}' that ${opts.source} does not have`,
        `its columns are: ${trimmed.map((h) => `'${h}'`).join(', ')}`,
      );
    }
  }
  const columns: ColumnMapping[] = [];
  const unknownAsCustom: string[] = [];
  const ignored: MappingResult['ignored'] = [];
  trimmed.forEach((header, index) => {
    const override = overrides.get(header.toLowerCase());
    if (override) {
      columns.push({ index, header, target: override, by: 'map' });
      if ('ignore' in override) ignored.push({ header, why: override.ignore });
      return;
    }
    const custom = /^custom[:.](.+)$/i.exec(header);
    if (custom) {
      columns.push({ index, header, target: { custom: custom[1]!.trim() }, by: 'custom' });
      return;
    }
    const n = normHeader(header);
    const field = SYNONYMS[n];
    if (field) {
      columns.push({ index, header, target: { field }, by: 'synonym' });
      return;
    }
    const why = IGNORED[n] ?? (header === '' ? 'no header' : opts.ignoreUnknown ? say`unknown column (${fieldRef('ignoreUnknown')})` : undefined);
    if (why) {
      ignored.push({ header, why });
      columns.push({ index, header, target: { ignore: why }, by: 'ignored' });
      return;
    }
    unknownAsCustom.push(header);
    columns.push({ index, header, target: { custom: header }, by: 'custom' });
  });
  const feeds = (f: ImportField) => columns.some((c) => 'field' in c.target && c.target.field === f);
  if (!(['name', 'firstName', 'lastName', 'businessName', 'emails', 'phones'] as const).some(feeds)) {
    const other = [',', ';', '\t', '|'].find((d) => d !== opts.delimiter && headers.join(opts.delimiter).includes(d));
    throw new UsageError(
      `${opts.source}: no column holds a name, business name, email or phone (columns: ${trimmed.map((h) => `'${h}'`).join(', ')})`,
      other
        ? { id: 'import.delimiter', delimiter: other }
        : { id: 'import.map-name' },
    );
  }
  return { columns, unknownAsCustom, ignored };
}

/** `wording` words what names an input (the CLI: its flag); plain text otherwise. */
export function describeTarget(t: Target, wording: (w: string | Words) => string = plainText): string {
  if ('field' in t) return t.field;
  if ('custom' in t) return `custom:${t.custom}`;
  return `ignored (${wording(t.ignore)})`;
}
