import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { addNote } from '../../services/leads/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerLeadNote: Register = (parent, context) => {
  const cmd = parent
    .command('note')
    .description('add a note to a lead’s timeline (text, or - to read stdin)').addHelpText('after', examples('crm lead note 12 "Called: wants a quote by Friday"', 'echo "Notes from the meeting" | crm lead note 12 -'))
    .argument('<id>', 'lead id')
    .argument('[text...]', 'the note');
  outputFlags(cmd).action(async (rawId: string, words: string[], opts: { json?: boolean }, c) => {
    const ctx = context(c);
    let text = words.join(' ');
    if (text === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
      text = Buffer.concat(chunks).toString('utf8').trim();
    }
    if (!text) text = await ctx.prompter.text('<text>', 'Note');
    const svc = await ctx.services();
    const result = await addNote(svc, parseId(rawId), text);
    if (opts.json) printJson(ctx.io, result);
    else ctx.io.out(`Added a note to lead ${result.leadId}`);
  });
};
