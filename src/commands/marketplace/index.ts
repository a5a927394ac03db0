import { examples, type Register } from '../shared.js';
import { registerMarketplaceImport } from './import.js';
import { registerMarketplaceSet } from './set.js';
import { registerMarketplaceStatus } from './status.js';

export const registerMarketplace: Register = (program, context) => {
  const marketplace = program.command('marketplace').description('B2B marketplace import: ExportersIndia inquiries become leads').addHelpText('after', examples('crm marketplace set --site-key KEY --site-id sales@acme.example --assign ravi@acme.example', 'crm marketplace import --dry-run', 'crm marketplace status'));
  for (const r of [registerMarketplaceSet, registerMarketplaceImport, registerMarketplaceStatus]) r(marketplace, context);
};
