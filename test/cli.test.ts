import { describe, expect, it } from 'vitest';
import { invokedNoun } from '../src/cli.js';
import { freshHome } from './helpers/cli.js';

describe('invokedNoun: which noun to register', () => {
  it.each([
    [['lead', 'list'], 'lead'],
    [['--as', 'ravi@acme.example', 'lead', 'show', '1'], 'lead'],
    [['--db', '/tmp/x.db', '--no-color', 'stage', 'list'], 'stage'],
    [['-y', 'init'], 'init'],
    [['--help'], undefined],
    [['help', 'lead'], undefined],
    [[], undefined],
  ])('%j → %s', (argv, noun) => {
    expect(invokedNoun(argv)).toBe(noun);
  });
});

describe('help and unknown commands', () => {
  it('crm --help lists every noun and exits 0; an unknown noun exits 2', async () => {
    const h = freshHome();
    try {
      const help = await h.ok(['--help']);
      for (const noun of ['init', 'demo', 'whoami', 'lead', 'customer', 'user', 'stage', 'source', 'tag', 'config']) expect(help).toMatch(new RegExp(`\\n  ${noun}\\b`));
      await h.fail(['leed', 'list'], 2, /unknown command 'leed'/);
      expect((await h.ok(['--version'])).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    } finally {
      h.cleanup();
    }
  });
});
