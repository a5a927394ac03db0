import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { boardFilterText, getPersonalSetting, listPersonalSettings, parseBoardFilter, setPersonalSetting, unsetPersonalSetting } from '../../src/services/settings/personal.js';
import { assignedLeadCount, editUserWithLogin } from '../../src/services/users/service.js';
import { dateOrderOf } from '../../src/services/time/parse.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

describe('board.filter terms', () => {
  it('reads terms in any order and writes them back in one', () => {
    expect(parseBoardFilter('tag=hot mine source=web,Fair')).toEqual({ mine: true, tag: 'hot', source: ['web', 'Fair'] });
    expect(boardFilterText(parseBoardFilter('closed  user=ravi@acme.example search=Sousa Lda'))).toBe('user=ravi@acme.example closed search=Sousa Lda');
    expect(parseBoardFilter('')).toEqual({});
  });
  it('refuses an unknown term, a term without its value, and mine with user=', () => {
    for (const bad of ['colour=red', 'tag=', 'mine user=ravi@acme.example', 'search=', 'hot']) expect(() => parseBoardFilter(bad), bad).toThrow(UsageError);
  });
});

describe('personal settings and hand-over (services)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('each user sets their own; the value is normalised; empty unsets', async () => {
    expect(await setPersonalSetting(t.as(t.ravi), 'date-order', ' MDY ')).toBe('mdy');
    expect(await getPersonalSetting(t.as(t.ravi), 'date-order')).toBe('mdy');
    expect(await getPersonalSetting(t.as(t.priya), 'date-order')).toBe('');
    expect(await dateOrderOf(t.store, t.ravi)).toBe('mdy');
    expect(await dateOrderOf(t.store, t.priya)).toBe('dmy'); // the team's: from phone.region PT
    await setPersonalSetting(t.as(t.ravi), 'date-order', '');
    expect(await dateOrderOf(t.store, t.ravi)).toBe('dmy');
    await setPersonalSetting(t.as(t.ravi), 'timezone', 'Europe/Lisbon');
    expect((await listPersonalSettings(t.as(t.ravi))).find((r) => r.key === 'timezone')?.value).toBe('Europe/Lisbon');
    await unsetPersonalSetting(t.as(t.ravi), 'timezone');
    expect(await getPersonalSetting(t.as(t.ravi), 'timezone')).toBe('');
    await expect(setPersonalSetting(t.as(t.ravi), 'timezone', 'Mars/Olympus')).rejects.toThrow(/unknown time zone 'Mars\/Olympus'/);
  });

  it('deactivating with a hand-over moves the leads; a shared lead keeps its other assignee', async () => {
    const solo = await addLeadAs(t, t.admin, { assign: ['ravi@acme.example'] });
    const shared = await addLeadAs(t, t.admin, { assign: ['ravi@acme.example', 'priya@acme.example'] });
    expect(await assignedLeadCount(t.as(t.admin), 'ravi@acme.example')).toBe(2);
    const r = await editUserWithLogin(t.as(t.admin), 'ravi@acme.example', { active: false, handOverTo: null });
    expect(r.handedOver).toEqual({ leads: 2, followUps: 0, to: null });
    expect((await t.store.leads.get(solo.id))!.assignees).toEqual([]);
    expect((await t.store.leads.get(shared.id))!.assignees.map((a) => a.email)).toEqual(['priya@acme.example']);
    await expect(editUserWithLogin(t.as(t.admin), 'priya@acme.example', { active: false, handOverTo: 'ravi@acme.example' })).rejects.toThrow(/deactivated/);
  });
});
