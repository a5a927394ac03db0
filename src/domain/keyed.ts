/**
 * Maps keyed by what people type or send: custom field names, CSV headers, form fields, setting
 * names. A plain `{}` answers `toString`, `constructor` or `hasOwnProperty` with Object's own
 * functions and treats an assignment to `__proto__` as a prototype change, so these maps have no
 * prototype: every key is data.
 */
export function keyed<V>(from?: Record<string, V> | Iterable<readonly [string, V]>): Record<string, V> {
  const map = Object.create(null) as Record<string, V>;
  if (!from) return map;
  const entries = Symbol.iterator in from ? (from as Iterable<readonly [string, V]>) : Object.entries(from as Record<string, V>);
  // Plain assignment is safe here: an object without a prototype has no `__proto__` setter.
  for (const [k, v] of entries) map[k] = v;
  return map;
}

/** The value stored under `key` itself, never one inherited from Object.prototype. */
export function own<V>(map: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
