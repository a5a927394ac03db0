import type { Command } from 'commander';
import { printJson, printList } from '../../io/output.js';
import { addNamed, removeNamed, renameNamed } from '../../services/pipeline/service.js';
import type { Source, Tag } from '../../domain/pipeline.js';
import { outputFlags, type ContextFactory, type Register } from '../shared.js';

/** `crm source …` and `crm tag …`: the same four verbs over two taxonomies. */
function registerNamed(program: Command, context: ContextFactory, noun: 'source' | 'tag'): void {
  const kind = noun === 'source' ? 'sources' : 'tags';
  const parent = program.command(noun).description(`${kind}: list, add, rename, remove`);
  const columns = [
    { header: 'ID', cell: (x: Source | Tag) => x.id },
    { header: noun.toUpperCase(), cell: (x: Source | Tag) => x.name },
    { header: 'LEADS', cell: (x: Source | Tag) => x.leads },
  ];
  outputFlags(parent.command('list').alias('ls').description(`list ${kind} with their lead counts`), { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const { store } = await ctx.services();
    await printList(ctx.io, opts, await store[kind].list(), columns, (x) => x);
  });
  outputFlags(parent.command('add').description(`add a ${noun}`).argument('<name>')).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const item = await addNamed(await ctx.services(), kind, name);
    if (opts.json) printJson(ctx.io, item);
    else ctx.io.out(`Added ${noun} ${item.name}`);
  });
  outputFlags(parent.command('rename').description(`rename a ${noun} (its leads follow)`).argument('<name>').argument('<new-name>')).action(
    async (name: string, to: string, opts: { json?: boolean }, c) => {
      const ctx = context(c);
      const item = await renameNamed(await ctx.services(), kind, name, to);
      if (opts.json) printJson(ctx.io, item);
      else ctx.io.out(`Renamed ${noun} ${name} to ${item.name}`);
    },
  );
  const remove = parent.command('remove').alias('rm').description(`remove an unused ${noun}`).argument('<name>');
  if (noun === 'tag') remove.option('--force', 'remove it from the leads that carry it');
  outputFlags(remove).action(async (name: string, opts: { force?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const item = await removeNamed(await ctx.services(), kind, name, opts.force);
    if (opts.json) printJson(ctx.io, item);
    else ctx.io.out(`Removed ${noun} ${item.name}`);
  });
}

export const registerTaxonomy: Register = (program, context) => {
  registerNamed(program, context, 'source');
  registerNamed(program, context, 'tag');
};
