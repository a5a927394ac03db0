import { examples, type Register } from '../shared.js';
import { registerScoringAdd } from './add.js';
import { registerScoringExplain } from './explain.js';
import { registerScoringList } from './list.js';
import { registerScoringRecompute } from './recompute.js';
import { registerScoringRemove } from './remove.js';

export const registerScoring: Register = (program, context) => {
  const scoring = program.command('scoring').description('lead scoring: score = manual base (lead edit --score) + points of the rules a lead meets, 0–100').addHelpText('after', examples('crm scoring add --name has-phone --if has=phone --points 10', 'crm scoring explain 12', 'crm scoring recompute --all'));
  for (const r of [registerScoringList, registerScoringAdd, registerScoringRemove, registerScoringExplain, registerScoringRecompute]) r(scoring, context);
};
