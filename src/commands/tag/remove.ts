import { namedRemove } from '../taxonomy/named.js';

/** --force takes the tag off the leads that carry it. */
export const registerTagRemove = namedRemove('tag', { force: true });
