// SCAFFOLD (branch only, never on main): a repository not ported yet throws on use.
export function notPorted(area: string): any {
  return new Proxy({}, { get: (_t, key) => (typeof key === 'string' ? () => { throw new Error(`postgres: ${area}.${key} not ported yet`); } : undefined) });
}
