import { examples, type Register } from '../shared.js';

export const registerMcp: Register = (program, context) => {
  program
    .command('mcp')
    .description('serve the Model Context Protocol on stdio for AI agents, acting as you with your visibility (read-only unless --allow-write)')
    .addHelpText('after', examples('crm mcp', 'crm mcp --allow-write', 'crm --as priya@acme.example mcp'))
    .option('--allow-write', 'offer the tools that change records (add and edit leads, notes, calls, stage moves, follow-ups); the mcp.allow-write setting does the same')
    .action(async (opts: { allowWrite?: boolean }, c) => {
      const ctx = context(c);
      // The server, the SDK and zod load only here.
      const { serveMcp } = await import('./serve.js');
      await serveMcp(ctx, opts);
    });
};
