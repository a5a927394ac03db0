import { examples, type Register } from '../shared.js';
import { registerStageAdd } from './add.js';
import { registerStageMove, registerStageProbability, registerStageRename } from './change.js';
import { registerStageList } from './list.js';
import { registerStageRemove } from './remove.js';

export const registerStage: Register = (program, context) => {
  const stage = program.command('stage').description('pipeline stages: order, probability, won/lost').addHelpText('after', examples('crm stage list', 'crm stage add Negotiation --probability 80 --after "Proposal Sent"'));
  for (const r of [registerStageList, registerStageAdd, registerStageRename, registerStageMove, registerStageProbability, registerStageRemove]) r(stage, context);
};
