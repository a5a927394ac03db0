import { maskUrlCredentials } from '../io/mask.js';
import { userInfo } from 'node:os';
import { writeConfig } from '../config.js';
import { printJson } from '../io/output.js';
import { initStore } from '../services/setup/init.js';
import { seedDemo } from '../services/setup/demo.js';
import { examples, outputFlags, type Register } from './shared.js';

interface Options {
  name?: string;
  email?: string;
  currency?: string;
  region?: string;
  demo?: boolean;
  json?: boolean;
}

export const registerInit: Register = (program, context) => {
  const cmd = program
    .command('init')
    .description('create the store with the default pipeline and its first admin user (safe to re-run)').addHelpText('after', examples('crm init --name "Asha Rao" --email asha@acme.example --currency EUR --region PT', 'crm init --demo'))
    .option('--name <name>', 'the admin’s name')
    .option('--email <email>', 'the admin’s email (becomes the acting user in your config)')
    .option('--currency <code>', 'currency of new leads, e.g. EUR (default USD)')
    .option('--region <cc>', 'default country for phone numbers without +code, e.g. IN')
    .option('--demo', 'also fill the store with a demo team and 60 leads');
  outputFlags(cmd).action(async (opts: Options, c) => {
    const ctx = context(c);
    const store = await ctx.store({ create: true });
    const fresh = (await store.users.count()) === 0;
    let name = opts.name;
    let email = opts.email;
    if (fresh && opts.demo) {
      name ??= 'Asha Rao';
      email ??= 'admin@acme.example';
    }
    if (fresh && !name) name = ctx.io.isInteractive ? await ctx.prompter.text('--name', 'Your name (first admin)') : userInfo().username;
    if (fresh && !email) email = await ctx.prompter.text('--email', 'Your email');
    const { created, admin } = await initStore(store, ctx.now(), { adminName: name ?? '', adminEmail: email ?? '', currency: opts.currency, region: opts.region });
    if (created || !ctx.config.user) writeConfig(ctx.paths.configFile, { ...ctx.config, user: admin.email });
    let demo: { users: number; leads: number } | undefined;
    if (opts.demo && (await store.leads.count({ deleted: 'include' })) === 0) demo = await seedDemo(store, ctx.now(), { leads: 60 });
    if (opts.json) {
      printJson(ctx.io, { created, store: maskUrlCredentials(store.location), config: ctx.paths.configFile, admin, demo: demo ?? null });
      return;
    }
    ctx.io.out(created ? `Created the store ${maskUrlCredentials(store.location)}` : `The store ${maskUrlCredentials(store.location)} is already set up; nothing changed.`);
    ctx.io.out(`Acting user: ${admin.name} <${admin.email}> (admin), saved in ${ctx.paths.configFile}`);
    if (demo) ctx.io.out(`Added a demo team of ${demo.users} users and ${demo.leads} leads. Try: crm lead list`);
    else if (created) ctx.io.hint('Next: crm user add …, crm lead add --name …');
  });
};
