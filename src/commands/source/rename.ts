import { namedRename } from '../taxonomy/named.js';

export const registerSourceRename = namedRename('source');
