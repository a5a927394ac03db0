import { printJson, printList, type Column } from '../../io/output.js';
import { addNamed, removeNamed, renameNamed } from '../../services/pipeline/service.js';
import type { Source, Tag } from '../../domain/pipeline.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';

/**
 * `crm source …` and `crm tag …` are the same four verbs over two taxonomies: each verb is
 * written once here, and src/commands/source/<verb>.ts and src/commands/tag/<verb>.ts bind it
 * to their noun.
 */
export type TaxonomyNoun = 'source' | 'tag';

const kindOf = (noun: TaxonomyNoun) => (noun === 'source' ? 'sources' : 'tags');

/** Each verb's --help examples, per noun. */
const EXAMPLES: Record<TaxonomyNoun, Record<'list' | 'add' | 'rename' | 'remove', string[]>> = {
  source: {
    list: ['crm source list', 'crm source list -q'],
    add: ['crm source add "Trade show"'],
    rename: ['crm source rename "Trade show" Events'],
    remove: ['crm source remove Events'],
  },
  tag: {
    list: ['crm tag list', 'crm tag list --json'],
    add: ['crm tag add priority'],
    rename: ['crm tag rename priority urgent'],
    remove: ['crm tag remove urgent', 'crm tag remove hot --force'],
  },
};

const columns = (noun: TaxonomyNoun): Column<Source | Tag>[] => [
  { header: 'ID', cell: (x) => x.id },
  { header: noun.toUpperCase(), cell: (x) => x.name },
  { header: 'LEADS', cell: (x) => x.leads },
];

export function namedList(noun: TaxonomyNoun): Register {
  const kind = kindOf(noun);
  return (parent, context) => {
    const cmd = parent.command('list').alias('ls').description(`list ${kind} with their lead counts`).addHelpText('after', examples(...EXAMPLES[noun].list));
    outputFlags(cmd, { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
      const ctx = context(c);
      const { store } = await ctx.services();
      await printList(ctx.io, opts, await store[kind].list(), columns(noun), (x) => x);
    });
  };
}

export function namedAdd(noun: TaxonomyNoun): Register {
  return (parent, context) => {
    const cmd = parent.command('add').description(`add a ${noun}`).addHelpText('after', examples(...EXAMPLES[noun].add)).argument('<name>');
    outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
      const ctx = context(c);
      const item = await addNamed(await ctx.services(), kindOf(noun), name);
      if (opts.json) printJson(ctx.io, item);
      else ctx.io.out(`Added ${noun} ${item.name}`);
    });
  };
}

export function namedRename(noun: TaxonomyNoun): Register {
  return (parent, context) => {
    const cmd = parent.command('rename').description(`rename a ${noun} (its leads follow)`).addHelpText('after', examples(...EXAMPLES[noun].rename)).argument('<name>').argument('<new-name>');
    outputFlags(cmd).action(async (name: string, to: string, opts: { json?: boolean }, c) => {
      const ctx = context(c);
      const item = await renameNamed(await ctx.services(), kindOf(noun), name, to);
      if (opts.json) printJson(ctx.io, item);
      else ctx.io.out(`Renamed ${noun} ${name} to ${item.name}`);
    });
  };
}

/** `force`: offer --force, which takes it off the leads that carry it (tags; a lead's source is not optional). */
export function namedRemove(noun: TaxonomyNoun, { force = false } = {}): Register {
  return (parent, context) => {
    const cmd = parent.command('remove').alias('rm').description(`remove an unused ${noun}`).addHelpText('after', examples(...EXAMPLES[noun].remove)).argument('<name>');
    if (force) cmd.option('--force', 'remove it from the leads that carry it');
    outputFlags(cmd).action(async (name: string, opts: { force?: boolean; json?: boolean }, c) => {
      const ctx = context(c);
      if (!(await confirmed(ctx, `Remove ${noun} ${name}${opts.force ? ' from every lead that carries it' : ''}?`))) return;
      const item = await removeNamed(await ctx.services(), kindOf(noun), name, opts.force);
      if (opts.json) printJson(ctx.io, item);
      else ctx.io.out(`Removed ${noun} ${item.name}`);
    });
  };
}
