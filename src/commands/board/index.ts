import type { Register } from '../shared.js';
import { registerBoardView } from './view.js';

export const registerBoard: Register = (program, context) => {
  registerBoardView(program.command('board'), context);
};
