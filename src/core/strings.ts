/** Small string helpers shared by the checks (pure). */

/**
 * Levenshtein distance between two strings (for "did you mean" suggestions). Remembered: the checks
 * compare the same names again after every edit of a large file.
 */
export function editDistance(a: string, b: string): number {
  const key = `${a}\0${b}`;
  let d = distances.get(key);
  if (d === undefined) {
    if (distances.size >= 100_000) distances.clear();
    d = levenshtein(a, b);
    distances.set(key, d);
  }
  return d;
}

const distances = new Map<string, number>();

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** `scheme://[userinfo@]host[:port]rest` of a service URL, split for rewriting. */
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?)(\[[^\]]*\]|[^:/?#]*)((?::\d*)?)(.*)$/is;

/** The service URL with another host (port and the rest kept). */
export function replaceUrlHost(service: string, host: string): string {
  const m = AUTHORITY.exec(service);
  return m ? `${m[1]}${host}${m[3]}${m[4]}` : service;
}

/** The service URL with another port. */
export function replaceUrlPort(service: string, port: number): string {
  const m = AUTHORITY.exec(service);
  return m ? `${m[1]}${m[2]}:${port}${m[4]}` : service;
}
