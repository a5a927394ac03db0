import type { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { completionValues, type CompletionKind } from '../services/completion.js';
import type { ContextFactory, Register } from './shared.js';

/** Flags (long names) whose values are names kept in the store. */
const VALUE_KINDS: Record<string, CompletionKind> = {
  stage: 'stage', 'move-to': 'stage',
  source: 'source',
  tag: 'tag', 'add-tag': 'tag', 'remove-tag': 'tag',
  user: 'user', assign: 'user', as: 'user', manager: 'user', 'reassign-to': 'user',
  segment: 'segment',
};

const SCRIPTS: Record<string, string> = {
  bash: `# crm completion for bash: add to ~/.bashrc
#   source <(crm completion bash)
_crm_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(crm __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _crm_complete crm
`,
  zsh: `#compdef crm
# crm completion for zsh: crm completion zsh > "\${fpath[1]}/_crm" (then restart zsh),
# or add to ~/.zshrc: source <(crm completion zsh)
_crm() {
  local -a candidates
  candidates=("\${(@f)$(crm __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- \${candidates:#}
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then _crm "$@"; else compdef _crm crm; fi
`,
  fish: `# crm completion for fish: crm completion fish > ~/.config/fish/completions/crm.fish
function __crm_complete
    set -l tokens (commandline -opc) (commandline -ct)
    crm __complete $tokens[2..-1] 2>/dev/null
end
complete -c crm -f -a '(__crm_complete)'
`,
};

function takesValue(o: Option): boolean {
  return o.required || o.optional;
}

function findOption(cmd: Command, word: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.options.find((x) => x.long === word || x.short === word);
    if (o) return o;
  }
  return undefined;
}

/** Candidates for the last word of a command line (`words` as typed after `crm`, the last one partial). */
async function candidates(program: Command, words: string[], values: (kind: CompletionKind) => Promise<string[]>): Promise<string[]> {
  const current = words.length ? words[words.length - 1]! : '';
  const before = words.slice(0, -1);
  let cmd = program;
  const positional: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (w.startsWith('-')) {
      const o = findOption(cmd, w.split('=')[0]!);
      if (o && takesValue(o) && !w.includes('=')) i++;
      continue;
    }
    const sub = positional.length === 0 ? cmd.commands.find((c) => c.name() === w || c.aliases().includes(w)) : undefined;
    if (sub) cmd = sub;
    else positional.push(w);
  }
  const prev = before[before.length - 1];
  const prevOption = prev?.startsWith('-') ? findOption(cmd, prev) : undefined;
  let out: string[];
  if (prevOption && takesValue(prevOption) && !prev!.includes('=')) {
    const kind = VALUE_KINDS[(prevOption.long ?? '').replace(/^--/, '')];
    out = kind ? await values(kind) : [];
  } else if (current.startsWith('-')) {
    const opts: string[] = [];
    for (let c: Command | null = cmd; c; c = c.parent) for (const o of c.options) if (o.long && !o.hidden) opts.push(o.long);
    out = [...opts, '--help'];
  } else {
    const subs = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
    const args = cmd.registeredArguments;
    const arg = args[Math.min(positional.length, args.length - 1)];
    const argKind = subs.length === 0 && arg ? (VALUE_KINDS[arg.name()] ?? (cmd.parent?.name() === 'segment' && arg.name() === 'name' ? 'segment' : undefined)) : undefined;
    out = argKind ? await values(argKind) : subs;
  }
  return [...new Set(out)].filter((c) => c.startsWith(current));
}

/**
 * `crm completion bash|zsh|fish` prints a script that asks `crm __complete` for candidates:
 * commands and flags from the command tree, and stage, source, tag, user and segment names from
 * the store (none when the store cannot be opened: completion never prints an error).
 */
export const registerCompletion: Register = (program, context) => {
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash | zsh | fish')
    .addHelpText('after', '\nExamples:\n  source <(crm completion bash)                         # in ~/.bashrc\n  crm completion zsh > "${fpath[1]}/_crm"\n  crm completion fish > ~/.config/fish/completions/crm.fish')
    .action((shell: string, _opts: unknown, c: Command) => {
      const script = SCRIPTS[shell.trim().toLowerCase()];
      if (!script) throw new UsageError(`no completion for the shell '${shell}'`, 'use bash, zsh or fish');
      context(c).io.out(script);
    });
};

/**
 * `crm __complete WORDS…` (what the scripts run): the candidates, one a line. Handled before
 * commander parses anything, so the words being completed (`--so`, `--as`) are data, not options.
 */
export async function complete(program: Command, words: string[], context: ContextFactory): Promise<void> {
  const ctx = context(program);
  const values = async (kind: CompletionKind) => {
    try {
      return await completionValues(await ctx.store(), kind);
    } catch {
      return [];
    }
  };
  const out = await candidates(program, words, values);
  if (out.length) ctx.io.out(out.join('\n'));
}
