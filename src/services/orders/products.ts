/** The product catalogue (O1): named products with a price, a currency and a tax rate, picked as order lines. */
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import type { Product } from '../../domain/orders.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { checkName, normalizeCurrency } from '../leads/normalize.js';
import { effectiveSetting } from '../settings/service.js';
import { parseDecimal } from '../proposals/items.js';
import { priceOf } from './money.js';

/** Who keeps the catalogue (configuration: everyone but reps). */
const CATALOGUE_ROLES = ['admin', 'manager', 'marketing'] as const;

export interface ProductInput {
  name?: string;
  price?: string;
  currency?: string;
  tax?: string;
  inclusive?: boolean;
  active?: boolean;
}

const taxOf = (raw: string) => parseDecimal(raw, 'tax %', 'product', { max: 1000 }).text;

export async function findProduct(ctx: Pick<ServiceContext, 'store'>, nameOrId: string): Promise<Product> {
  const raw = nameOrId.trim();
  const p = (await ctx.store.products.byName(raw)) ?? (/^\d+$/.test(raw) ? await ctx.store.products.get(Number(raw)) : undefined);
  if (!p) throw new NotFoundError(`no product '${raw}'`, { id: 'product.list' });
  return p;
}

export async function addProduct(ctx: ServiceContext, input: ProductInput): Promise<Product> {
  assertRole(ctx.actor, CATALOGUE_ROLES, 'add products');
  const name = checkName(input.name ?? '', 'product name');
  if (/^\d+$/.test(name)) throw new UsageError(`a product name cannot be only digits ('${name}')`, 'products are picked by name or id');
  if (name.includes(';')) throw new UsageError(`a product name cannot contain ';' ('${name}')`, 'order lines use ; to separate their parts');
  if (input.price === undefined) throw new UsageError(`product '${name}' needs a price`, { id: 'product.add' });
  const currency = normalizeCurrency(input.currency ?? effectiveSetting(await ctx.store.settings.all(), {}, 'currency'));
  const unitPriceMinor = priceOf(input.price, currency, `product '${name}'`);
  return ctx.store.transaction(async () => {
    if (await ctx.store.products.byName(name)) throw new ConflictError(`a product named '${name}' exists already`, { id: 'product.list' });
    const id = await ctx.store.products.insert({ name, unitPriceMinor, currency, taxPct: taxOf(input.tax ?? '0'), taxInclusive: Boolean(input.inclusive), active: true }, ctx.now.toISOString());
    return (await ctx.store.products.get(id))!;
  });
}

export async function editProduct(ctx: ServiceContext, nameOrId: string, input: ProductInput): Promise<Product> {
  assertRole(ctx.actor, CATALOGUE_ROLES, 'change products');
  return ctx.store.transaction(async () => {
    const p = await findProduct(ctx, nameOrId);
    const patch: Partial<Product> = {};
    if (input.name !== undefined) {
      const name = checkName(input.name, 'product name');
      const other = await ctx.store.products.byName(name);
      if (other && other.id !== p.id) throw new ConflictError(`a product named '${name}' exists already`, { id: 'product.list' });
      patch.name = name;
    }
    const currency = input.currency === undefined ? p.currency : normalizeCurrency(input.currency);
    if (input.currency !== undefined) patch.currency = currency;
    if (input.price !== undefined) patch.unitPriceMinor = priceOf(input.price, currency, `product '${p.name}'`);
    else if (input.currency !== undefined && currency !== p.currency) throw new UsageError(`changing the currency of '${p.name}' needs its price in ${currency} too`, 'pass the price as well');
    if (input.tax !== undefined) patch.taxPct = taxOf(input.tax);
    if (input.inclusive !== undefined) patch.taxInclusive = input.inclusive;
    if (input.active !== undefined) patch.active = input.active;
    if (Object.keys(patch).length === 0) throw new UsageError('nothing to change', { id: 'product.add' });
    await ctx.store.products.update(p.id, patch, ctx.now.toISOString());
    return (await ctx.store.products.get(p.id))!;
  });
}

export async function listProducts(ctx: Pick<ServiceContext, 'store'>, all: boolean): Promise<Product[]> {
  return ctx.store.products.list(all);
}
