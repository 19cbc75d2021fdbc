/**
 * The parser of the pattern syntax `linear-regex.ts` matches: a pattern string to a small syntax tree, with
 * errors (RegexSyntaxError) that say what is wrong or unsupported. See linear-regex.ts for the syntax.
 */
export const MAX_PROGRAM = 2000;

export class RegexSyntaxError extends Error {}

export type Pred = { t: 'char'; c: number } | { t: 'any' } | { t: 'set'; ranges: number[]; neg: boolean };
export type Node =
  | { t: 'pred'; p: Pred }
  | { t: 'assert'; a: Assertion }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }; // max -1: unbounded
export type Assertion = 'start' | 'end' | 'word' | 'nonword';
export const DIGIT = [48, 57];
export const WORD = [48, 57, 65, 90, 95, 95, 97, 122];
export const SPACE = [
  9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279,
];

export class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.s.length) throw new RegexSyntaxError(`unmatched ) at position ${this.i + 1}`);
    return n;
  }

  private alt(): Node {
    const items = [this.cat()];
    while (this.s[this.i] === '|') {
      this.i++;
      items.push(this.cat());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  private cat(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') items.push(this.repeat());
    return { t: 'cat', items };
  }

  private repeat(): Node {
    let node = this.atom();
    for (;;) {
      const ch = this.s[this.i];
      let min: number;
      let max: number;
      if (ch === '*' || ch === '+' || ch === '?') {
        this.i++;
        [min, max] = ch === '*' ? [0, -1] : ch === '+' ? [1, -1] : [0, 1];
      } else if (ch === '{' && /^\{\d+(,\d*)?\}/.test(this.s.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i)) as RegExpExecArray;
        this.i += m[0].length;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (max !== -1 && max < min) throw new RegexSyntaxError(`numbers out of order in ${m[0]}`);
        if (min > MAX_PROGRAM || max > MAX_PROGRAM) throw new RegexSyntaxError(`repetition ${m[0]} is too large`);
      } else {
        return node;
      }
      if (node.t === 'assert') throw new RegexSyntaxError('nothing to repeat');
      if (this.s[this.i] === '?') this.i++;
      node = { t: 'rep', node, min, max };
    }
  }

  private atom(): Node {
    const ch = this.s[this.i++] as string;
    switch (ch) {
      case '(': {
        if (this.s.startsWith('?:', this.i)) this.i += 2;
        else if (/^\?<[A-Za-z_]\w*>/.test(this.s.slice(this.i))) this.i = this.s.indexOf('>', this.i) + 1;
        else if (this.s[this.i] === '?') {
          throw new RegexSyntaxError('lookahead and lookbehind are not supported (they need backtracking)');
        }
        const inner = this.alt();
        if (this.s[this.i] !== ')') throw new RegexSyntaxError('missing )');
        this.i++;
        return inner;
      }
      case '[':
        return { t: 'pred', p: this.set() };
      case '.':
        return { t: 'pred', p: { t: 'any' } };
      case '^':
        return { t: 'assert', a: 'start' };
      case '$':
        return { t: 'assert', a: 'end' };
      case '\\':
        return this.escape(false);
      case '*':
      case '+':
      case '?':
        throw new RegexSyntaxError('nothing to repeat');
      default:
        return { t: 'pred', p: { t: 'char', c: this.codePointBefore(ch) } };
    }
  }

  /** The code point whose first unit was just consumed (a surrogate pair counts as one character). */
  private codePointBefore(ch: string): number {
    const c = this.s.codePointAt(this.i - 1) ?? ch.charCodeAt(0);
    if (c > 0xffff) this.i++;
    return c;
  }

  private escape(inSet: boolean): Node {
    const ch = this.s[this.i++];
    if (ch === undefined) throw new RegexSyntaxError('\\ at end of pattern');
    const set = (ranges: number[], neg: boolean): Node => ({ t: 'pred', p: { t: 'set', ranges, neg } });
    switch (ch) {
      case 'd':
        return set(DIGIT, false);
      case 'D':
        return set(DIGIT, true);
      case 'w':
        return set(WORD, false);
      case 'W':
        return set(WORD, true);
      case 's':
        return set(SPACE, false);
      case 'S':
        return set(SPACE, true);
      case 'b':
        if (inSet) return { t: 'pred', p: { t: 'char', c: 8 } };
        return { t: 'assert', a: 'word' };
      case 'B':
        return { t: 'assert', a: 'nonword' };
      case 't':
        return { t: 'pred', p: { t: 'char', c: 9 } };
      case 'n':
        return { t: 'pred', p: { t: 'char', c: 10 } };
      case 'r':
        return { t: 'pred', p: { t: 'char', c: 13 } };
      case 'f':
        return { t: 'pred', p: { t: 'char', c: 12 } };
      case 'v':
        return { t: 'pred', p: { t: 'char', c: 11 } };
      case 'x':
      case 'u': {
        const len = ch === 'x' ? 2 : 4;
        const hex = this.s.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new RegexSyntaxError(`bad \\${ch} escape`);
        this.i += len;
        return { t: 'pred', p: { t: 'char', c: Number.parseInt(hex, 16) } };
      }
      default:
        if (/[1-9k]/.test(ch)) throw new RegexSyntaxError('backreferences are not supported (they need backtracking)');
        if (/[A-Za-z0-9]/.test(ch)) throw new RegexSyntaxError(`unknown escape \\${ch}`);
        return { t: 'pred', p: { t: 'char', c: this.codePointBefore(ch) } };
    }
  }

  private set(): Pred {
    const neg = this.s[this.i] === '^';
    if (neg) this.i++;
    const ranges: number[] = [];
    while (this.s[this.i] !== ']') {
      if (this.i >= this.s.length) throw new RegexSyntaxError('missing ]');
      const lo = this.setItem(ranges);
      if (lo === undefined) continue;
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && this.i + 1 < this.s.length) {
        this.i++;
        const hi = this.setItem(ranges);
        if (hi === undefined) throw new RegexSyntaxError('a class such as \\d cannot end a range');
        if (hi < lo) throw new RegexSyntaxError('range out of order in character class');
        ranges.push(lo, hi);
      } else {
        ranges.push(lo, lo);
      }
    }
    this.i++;
    return { t: 'set', ranges, neg };
  }

  /** One member of a class: a code point, or (for \d, \w, …) its ranges pushed directly and undefined. */
  private setItem(ranges: number[]): number | undefined {
    const ch = this.s[this.i++] as string;
    if (ch !== '\\') return this.codePointBefore(ch);
    const n = this.escape(true);
    if (n.t !== 'pred') throw new RegexSyntaxError('assertions cannot appear in a character class');
    if (n.p.t === 'char') return n.p.c;
    if (n.p.t === 'set' && !n.p.neg) {
      ranges.push(...n.p.ranges);
      return undefined;
    }
    throw new RegexSyntaxError('negated classes (\\D, \\W, \\S) cannot appear inside [ ]');
  }
}
