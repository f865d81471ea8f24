/**
 * What `memo` holds for `key`, made by `make` and kept on the first ask. For values derived from a parsed
 * object the model replaces rather than changes (a change, a document, a snapshot's list): they live as long
 * as that object and are made again only for a new one.
 */
export function rememberedFor<K extends object, V>(memo: WeakMap<K, V>, key: K, make: (key: K) => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    value = make(key);
    memo.set(key, value);
  }
  return value;
}
