import { namedRemove } from '../taxonomy/named.js';

export const registerSourceRemove = namedRemove('source');
