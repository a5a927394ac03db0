import { printJson } from '../../io/output.js';
import { setMarketplace } from '../../services/intake/marketplace.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { marketplaceSetLine } from './render.js';

export const registerMarketplaceSet: Register = (parent, context) => {
  const cmd = parent
    .command('set')
    .description('configure the import (managers and admins); the daemon runs it every --every').addHelpText('after', examples('crm marketplace set --site-key KEY --site-id sales@acme.example --assign ravi@acme.example,priya@acme.example --every 30m'))
    .option('--site-key <key>', 'API site key (stored as a secret setting; CRM_MARKETPLACE_SITE_KEY wins)')
    .option('--site-id <id>', 'site id: the email of the ExportersIndia account')
    .option('--assign <emails>', 'users the inquiries are shared among, round-robin (repeatable or comma-separated)', collect)
    .option('--source <name>', 'source of the new leads (created if missing; default ExportersIndia)')
    .option('--every <interval>', 'how often the daemon imports: 15m, 1h… (default 15m)')
    .option('--base-url <url>', 'API base URL (default https://my.exportersindia.com; for a proxy or a test server)');
  outputFlags(cmd).action(async (opts: { siteKey?: string; siteId?: string; assign?: string[]; source?: string; every?: string; baseUrl?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const v = await setMarketplace(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, v);
    else ctx.io.out(marketplaceSetLine(v));
  });
};
