/**
 * Memoization for the evaluator's hot paths: a stack with thousands of rules is evaluated for every
 * bridge flow, and the same address and FQDN strings are parsed again and again. Parsers are pure, so
 * a bounded cache per parser is safe; it is cleared wholesale when full, which keeps memory bounded in
 * long-lived processes (the policy pack) without any eviction bookkeeping.
 */
const MAX_ENTRIES = 200_000;

export function memoizeString<T>(parse: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string) => {
    let value = cache.get(text);
    if (value === undefined) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      value = parse(text);
      cache.set(text, value);
    }
    return value;
  };
}

/**
 * Caches a pure function of two arrays by their identity: normalized rules keep the same array objects
 * for the whole evaluation, and every flow of one evaluation shares the configured source ranges.
 */
export function memoizeByIdentity<A extends object, B extends object | undefined, T>(fn: (a: A, b: B) => T): (a: A, b: B) => T {
  const NONE = {};
  const cache = new WeakMap<A, WeakMap<object, T>>();
  return (a: A, b: B) => {
    let inner = cache.get(a);
    if (!inner) {
      inner = new WeakMap();
      cache.set(a, inner);
    }
    const key = b ?? NONE;
    let value = inner.get(key);
    if (value === undefined) {
      value = fn(a, b);
      inner.set(key, value);
    }
    return value;
  };
}

/** Caches a pure function of one object by its identity. */
export function memoizeByObject<A extends object, T>(fn: (a: A) => T): (a: A) => T {
  const cache = new WeakMap<A, T>();
  return (a: A) => {
    let value = cache.get(a);
    if (value === undefined) {
      value = fn(a);
      cache.set(a, value);
    }
    return value;
  };
}
