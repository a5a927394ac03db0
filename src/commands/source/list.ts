import { namedList } from '../taxonomy/named.js';

export const registerSourceList = namedList('source');
