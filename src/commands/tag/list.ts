import { namedList } from '../taxonomy/named.js';

export const registerTagList = namedList('tag');
