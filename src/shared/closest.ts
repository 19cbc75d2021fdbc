/** The closest names to a mistyped one (edit distance), for "did you mean" answers. */

/** Levenshtein distance, for suggesting the closest command. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The known names closest to `name` (at most three, within two edits or sharing its prefix). */
export function closest(name: string, known: readonly string[]): string[] {
  return known
    .map((k) => ({ k, d: k.startsWith(name) || name.startsWith(k) ? 0.5 : distance(name, k) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.k);
}
