/**
 * A cache for pure functions of a string that the checks call for every rule on every edit (a
 * service URL parsed, a hostname's depth): edits change one rule, so almost every call is a hit.
 * Bounded: past `max` entries it starts again empty. Results are shared: callers never change them.
 */
export function memoizeString<R>(f: (key: string) => R, max = 8192): (key: string) => R {
  let cache = new Map<string, R>();
  return (key: string): R => {
    let r = cache.get(key);
    if (r === undefined && !cache.has(key)) {
      if (cache.size >= max) cache = new Map();
      r = f(key);
      cache.set(key, r);
    }
    return r as R;
  };
}
