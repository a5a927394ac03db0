import { describe, expect, it } from 'vitest';
import { builtInMeaning, dateEvidence, meaningOf, parseDateCell, parseMapValues, regionOf } from '../src/services/import/values.js';
import { isVerifiedPhone, messagingPhone } from '../src/domain/leads.js';

describe('values other CRMs write', () => {
  it.each([
    ['lead', { open: 'New' }],
    ['marketingqualifiedlead', { open: 'Contacted' }],
    ['IN_PROGRESS', { open: 'Contacted' }],
    ['Open - Not Contacted', { open: 'New' }],
    ['Closed - Converted', { customer: true }],
    ['Closed - Not Converted', { outcome: 'lost', lostReason: 'Not converted' }],
    ['Proposal Made', { open: 'Proposal Sent' }],
    ['won', { outcome: 'won' }],
    ['Junk Lead', { junk: true }],
    ['Lost Lead', { outcome: 'lost' }],
    ['Not Qualified', { outcome: 'lost', lostReason: 'Not qualified' }],
  ])('%s → %j', (raw, meaning) => {
    expect(builtInMeaning(raw)).toEqual(meaning);
  });

  it('an unknown value has no meaning; a map target is a stage or a keyword', () => {
    expect(builtInMeaning('other')).toBeUndefined();
    expect(meaningOf('Demo')).toEqual({ open: 'Demo' });
    expect(meaningOf('LOST')).toEqual({ outcome: 'lost' });
    expect(meaningOf('ignore')).toEqual({ ignore: true });
  });

  it('--map-values: column and values compared without case, several pairs, repeatable', () => {
    expect(parseMapValues(["Lifecycle Stage:lead=New,Opportunity=Demo", 'Owner:Jane=jane@x.example'])).toEqual({
      'lifecycle stage': { lead: 'New', opportunity: 'Demo' },
      owner: { jane: 'jane@x.example' },
    });
    expect(() => parseMapValues(['no colon'])).toThrow(/invalid mapValues 'no colon'/);
    expect(() => parseMapValues(['Col:x='])).toThrow(/invalid mapValues 'x='/);
  });
});

describe('dates', () => {
  it('a value above 12 settles the order; otherwise the format given decides, or it is ambiguous', () => {
    expect(parseDateCell('15/03/2024', undefined)).toEqual({ date: '2024-03-15', time: null });
    expect(parseDateCell('3/15/2024 2:05 PM', undefined)).toEqual({ date: '2024-03-15', time: '14:05:00' });
    expect(parseDateCell('03/04/2024', undefined)).toEqual({ ambiguous: true });
    expect(parseDateCell('03/04/2024', 'dmy')).toEqual({ date: '2024-04-03', time: null });
    expect(parseDateCell('03/04/2024', 'mdy')).toEqual({ date: '2024-03-04', time: null });
    expect(parseDateCell('05.05.2024', undefined)).toEqual({ date: '2024-05-05', time: null });
    expect(parseDateCell('2024-03-15T10:22:33.000Z', undefined)).toEqual({ date: '2024-03-15', time: '10:22:33' });
    expect(parseDateCell('2024-03-15 23:30+02:00', undefined)).toEqual({ date: '2024-03-15', time: '21:30:00' });
    expect(parseDateCell('15 Mar 2024', undefined)).toEqual({ date: '2024-03-15', time: null });
    expect(parseDateCell('Mar 15, 2024', undefined)).toEqual({ date: '2024-03-15', time: null });
    expect(parseDateCell('31/02/2024', undefined)).toEqual({ bad: true });
    expect(parseDateCell('soon', undefined)).toEqual({ bad: true });
  });

  it('evidence per cell for the scan', () => {
    expect(dateEvidence('15/03/2024')).toBe('dmy');
    expect(dateEvidence('03/15/2024')).toBe('mdy');
    expect(dateEvidence('03/04/2024')).toBeUndefined();
    expect(dateEvidence('2024/03/04')).toBe('ymd');
  });
});

describe('countries and phones', () => {
  it('a country by name, code or common alias; retired codes never win', () => {
    expect(regionOf('United Kingdom')).toBe('GB');
    expect(regionOf('UK')).toBe('GB');
    expect(regionOf('Germany')).toBe('DE');
    expect(regionOf('Deutschland')).toBe('DE');
    expect(regionOf('United States')).toBe('US');
    expect(regionOf('usa')).toBe('US');
    expect(regionOf('in')).toBe('IN');
    expect(regionOf('Atlantis')).toBeUndefined();
  });

  it('a number kept as entered is unverified and never texted', () => {
    expect(isVerifiedPhone('+15125550199')).toBe(true);
    expect(isVerifiedPhone('+15125550199 ext. 42')).toBe(true);
    expect(isVerifiedPhone('087 123 4567')).toBe(false);
    expect(messagingPhone(['087 123 4567', '+15125550199 ext. 42'])).toBe('+15125550199');
    expect(messagingPhone(['087 123 4567'])).toBeUndefined();
  });
});
