import { examples, type Register } from '../shared.js';
import { registerSegmentAdd } from './add.js';
import { registerSegmentCount } from './count.js';
import { registerSegmentList } from './list.js';
import { registerSegmentRemove } from './remove.js';
import { registerSegmentShow } from './show.js';

export const registerSegment: Register = (program, context) => {
  const segment = program.command('segment').description('segments: saved lead filters (add, list, show, count, remove)').addHelpText('after', examples('crm segment add hot-web --where "source in (Website, Google Ads) and score>=60"', 'crm segment list', 'crm segment show hot-web'));
  for (const r of [registerSegmentAdd, registerSegmentList, registerSegmentShow, registerSegmentCount, registerSegmentRemove]) r(segment, context);
};
