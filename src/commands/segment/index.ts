import type { Register } from '../shared.js';
import { registerSegmentAdd } from './add.js';
import { registerSegmentCount } from './count.js';
import { registerSegmentList } from './list.js';
import { registerSegmentRemove } from './remove.js';
import { registerSegmentShow } from './show.js';

export const registerSegment: Register = (program, context) => {
  const segment = program.command('segment').description('segments: saved lead filters (add, list, show, count, remove)');
  for (const r of [registerSegmentAdd, registerSegmentList, registerSegmentShow, registerSegmentCount, registerSegmentRemove]) r(segment, context);
};
