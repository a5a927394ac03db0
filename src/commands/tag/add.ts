import { namedAdd } from '../taxonomy/named.js';

export const registerTagAdd = namedAdd('tag');
