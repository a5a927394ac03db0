import { printList } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { stageColumns, stageJson } from './render.js';

export const registerStageList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('list pipeline stages in order').addHelpText('after', examples('crm stage list', 'crm stage list --json'));
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const { store } = await ctx.services();
    await printList(ctx.io, opts, await store.stages.list(), stageColumns, stageJson);
  });
};
