import type { Command } from 'commander';
import { NotFoundError } from '../../errors.js';
import { examples, type Register } from '../shared.js';
import { TOPICS } from './topics.js';

/** The command a path of names and aliases leads to (`lead import`, `followup rule add`), and how far it got. */
function walk(program: Command, words: string[]): { cmd: Command; used: number } {
  let cmd = program;
  let used = 0;
  for (const w of words) {
    const next = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!next) break;
    cmd = next;
    used++;
  }
  return { cmd, used };
}

/**
 * `crm help [command…]` and `crm help <topic>`: help for any command at any depth (commander's
 * own help command stops at the first level), and the topics no single command owns.
 */
export const registerHelp: Register = (program) => {
  program.helpCommand(false);
  const topicList = Object.entries(TOPICS).map(([name, t]) => `  ${name.padEnd(12)} ${t.summary}`).join('\n');
  program.addHelpText('after', `\nHelp topics (crm help <topic>):\n${topicList}\n\nExamples:\n  crm init\n  crm lead add --name "Ana Sousa" --email ana@sousa.example --source Website\n  crm help lead import`);
  program
    .command('help')
    .description('help for a command (crm help lead import) or a topic (filters, dates, exit-codes, config, json, environment)').addHelpText('after', examples('crm help lead import', 'crm help dates', 'crm help exit-codes'))
    .argument('[words...]', 'a command path or a topic')
    .action((words: string[]) => {
      if (!words.length) {
        program.outputHelp();
        return;
      }
      const topic = TOPICS[words.join(' ').toLowerCase()];
      if (topic && words.length === 1) {
        (program.configureOutput() as { writeOut: (s: string) => void }).writeOut(`${topic.text()}\n`);
        return;
      }
      const { cmd, used } = walk(program, words);
      if (used < words.length) {
        const here = used === 0 ? 'crm' : `crm ${words.slice(0, used).join(' ')}`;
        const choices = [...cmd.commands.map((c) => c.name()).filter((n) => n !== 'help'), ...(used === 0 ? Object.keys(TOPICS) : [])];
        throw new NotFoundError(`no help for '${words.join(' ')}': ${here} has no '${words[used]}'`, `one of: ${choices.join(', ')}`);
      }
      cmd.outputHelp();
    });
};
