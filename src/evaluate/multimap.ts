/** The one shape of the indexes that join resources (`gates.ts`, `path.ts`) and group verdicts, causes and findings: a key to the items under it. */

/** Appends `item` under `key`, in the order added. */
export function append<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The lower-case names a resource is known by (its Pulumi name and its Azure name), each once. */
export function lowerCaseNames(names: readonly (string | undefined)[]): string[] {
  return [...new Set(names.flatMap((name) => (name === undefined ? [] : [name.toLowerCase()])))];
}
