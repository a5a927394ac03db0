import { namedRename } from '../taxonomy/named.js';

export const registerTagRename = namedRename('tag');
