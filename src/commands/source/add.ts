import { namedAdd } from '../taxonomy/named.js';

export const registerSourceAdd = namedAdd('source');
