/**
 * A regular-expression matcher whose running time is linear in the text: patterns from people and models
 * (`pod_logs` grep) are compiled to a Thompson NFA and simulated Pike-style, one set of states per character,
 * so `(a+)+$` costs what `a+$` costs and no pattern can make the process spin. Always case-insensitive.
 *
 * Syntax: literals, `.`, classes `[a-z0-9_]` / `[^…]` with ranges and escapes, `\d \w \s \D \W \S`, `\b \B`,
 * `^ $`, groups `(…)` `(?:…)` `(?<name>…)`, alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` (a trailing
 * `?` is accepted; laziness does not change whether a line matches), escapes `\t \n \r \f \v \xHH \uHHHH`.
 * Refused with a message saying so: backreferences and lookaround (they need backtracking), and patterns that
 * compile to more than MAX_PROGRAM instructions (large counted repetitions).
 */

export const MAX_PROGRAM = 2000;

export class RegexSyntaxError extends Error {}

type Pred = { t: 'char'; c: number } | { t: 'any' } | { t: 'set'; ranges: number[]; neg: boolean };
type Node =
  | { t: 'pred'; p: Pred }
  | { t: 'assert'; a: Assertion }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }; // max -1: unbounded
type Assertion = 'start' | 'end' | 'word' | 'nonword';
type Inst =
  | { op: 'pred'; p: Pred }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; a: Assertion }
  | { op: 'match' };

const DIGIT = [48, 57];
const WORD = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE = [
  9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279,
];

class Parser {
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

function compile(node: Node, prog: Inst[]): void {
  const emit = (i: Inst) => {
    if (prog.length >= MAX_PROGRAM) {
      throw new RegexSyntaxError(`pattern is too large (more than ${MAX_PROGRAM} steps); simplify it`);
    }
    prog.push(i);
    return prog.length - 1;
  };
  switch (node.t) {
    case 'pred':
      emit({ op: 'pred', p: node.p });
      return;
    case 'assert':
      emit({ op: 'assert', a: node.a });
      return;
    case 'cat':
      for (const n of node.items) compile(n, prog);
      return;
    case 'alt': {
      const jumps: number[] = [];
      const last = node.items.length - 1;
      for (const [k, n] of node.items.entries()) {
        if (k === last) {
          compile(n, prog);
          break;
        }
        const split = emit({ op: 'split', x: 0, y: 0 });
        compile(n, prog);
        jumps.push(emit({ op: 'jmp', x: 0 }));
        prog[split] = { op: 'split', x: split + 1, y: prog.length };
      }
      for (const j of jumps) prog[j] = { op: 'jmp', x: prog.length };
      return;
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) compile(node.node, prog);
      if (node.max === -1) {
        const split = emit({ op: 'split', x: 0, y: 0 });
        compile(node.node, prog);
        emit({ op: 'jmp', x: split });
        prog[split] = { op: 'split', x: split + 1, y: prog.length };
        return;
      }
      const splits: number[] = [];
      for (let k = node.min; k < node.max; k++) {
        splits.push(emit({ op: 'split', x: 0, y: 0 }));
        compile(node.node, prog);
      }
      for (const s of splits) prog[s] = { op: 'split', x: s + 1, y: prog.length };
      return;
    }
    default: {
      const never: never = node;
      throw new Error(`unknown node ${JSON.stringify(never)}`);
    }
  }
}

const fold = (c: number) =>
  c >= 65 && c <= 90 ? c + 32 : c < 128 ? c : (String.fromCodePoint(c).toLowerCase().codePointAt(0) ?? c);
const upper = (c: number) =>
  c >= 97 && c <= 122 ? c - 32 : c < 128 ? c : (String.fromCodePoint(c).toUpperCase().codePointAt(0) ?? c);
const inRanges = (r: number[], c: number) => {
  for (let k = 0; k < r.length; k += 2) if (c >= (r[k] as number) && c <= (r[k + 1] as number)) return true;
  return false;
};
const isWord = (c: number) => c >= 0 && inRanges(WORD, c);

function matches(p: Pred, c: number): boolean {
  switch (p.t) {
    case 'any':
      return c !== 10 && c !== 13;
    case 'char':
      return fold(p.c) === fold(c);
    case 'set': {
      const hit = inRanges(p.ranges, c) || inRanges(p.ranges, fold(c)) || inRanges(p.ranges, upper(c));
      return hit !== p.neg;
    }
  }
}

export class LinearRegex {
  private readonly prog: Inst[] = [];
  private readonly mark: Uint32Array;
  private gen = 0;
  private clist: Int32Array;
  private nlist: Int32Array;
  private ccount = 0;
  /** Pending states of the closure walk: each state is entered once per position, pushing at most two. */
  private readonly stack: Int32Array;

  private constructor(node: Node) {
    compile(node, this.prog);
    this.prog.push({ op: 'match' });
    // case-insensitive literals compare folded code points: fold each literal once
    for (const inst of this.prog)
      if (inst.op === 'pred' && inst.p.t === 'char') inst.p = { t: 'char', c: fold(inst.p.c) };
    this.mark = new Uint32Array(this.prog.length);
    this.clist = new Int32Array(this.prog.length);
    this.nlist = new Int32Array(this.prog.length);
    this.stack = new Int32Array(2 * this.prog.length + 1);
  }

  /** Throws RegexSyntaxError, whose message says what is wrong or unsupported. */
  static compile(pattern: string): LinearRegex {
    return new LinearRegex(new Parser(pattern).parse());
  }

  /** Number of NFA instructions: the work per character of text is at most proportional to it. */
  get size(): number {
    return this.prog.length;
  }

  /** Whether the pattern occurs anywhere in `text`; time O(text length × size). */
  test(text: string): boolean {
    const len = text.length;
    let prev = -1;
    let i = 0;
    this.ccount = 0;
    for (;;) {
      const next = i < len ? (text.codePointAt(i) as number) : -1;
      this.gen++;
      // the states carried over from the previous character, plus a fresh start here (unanchored search)
      const seeds = this.clist;
      const nseeds = this.ccount;
      this.clist = this.nlist;
      this.nlist = seeds;
      this.ccount = 0;
      for (let k = 0; k < nseeds; k++) if (this.add(seeds[k] as number, i, len, prev, next)) return true;
      if (this.add(0, i, len, prev, next)) return true;
      if (i >= len) return false;
      const folded = fold(next);
      let n = 0;
      const out = this.nlist;
      for (let k = 0; k < this.ccount; k++) {
        const pc = this.clist[k] as number;
        const p = (this.prog[pc] as { p: Pred }).p;
        const hit = p.t === 'char' ? p.c === folded : p.t === 'any' ? next !== 10 && next !== 13 : matches(p, next);
        if (hit) out[n++] = pc + 1;
      }
      // the list just built becomes the seeds of the next position
      const tmp = this.clist;
      this.clist = out;
      this.nlist = tmp;
      this.ccount = n;
      prev = next;
      i += next > 0xffff ? 2 : 1;
    }
  }

  /** Adds `pc` and everything reachable from it without consuming a character; true when Match is reached. */
  private add(pc: number, pos: number, len: number, prev: number, next: number): boolean {
    const stack = this.stack;
    let top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const at = stack[--top] as number;
      if (this.mark[at] === this.gen) continue;
      this.mark[at] = this.gen;
      const inst = this.prog[at] as Inst;
      switch (inst.op) {
        case 'match':
          return true;
        case 'jmp':
          stack[top++] = inst.x;
          break;
        case 'split':
          stack[top++] = inst.y;
          stack[top++] = inst.x;
          break;
        case 'assert': {
          const ok =
            inst.a === 'start'
              ? pos === 0
              : inst.a === 'end'
                ? pos >= len
                : (isWord(prev) !== isWord(next)) === (inst.a === 'word');
          if (ok) stack[top++] = at + 1;
          break;
        }
        case 'pred':
          this.clist[this.ccount++] = at;
          break;
      }
    }
    return false;
  }
}
