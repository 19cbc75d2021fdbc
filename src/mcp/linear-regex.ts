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

import { type Assertion, MAX_PROGRAM, type Node, Parser, type Pred, RegexSyntaxError, WORD } from './regex-parse.js';

export { MAX_PROGRAM, RegexSyntaxError } from './regex-parse.js';

type Inst =
  | { op: 'pred'; p: Pred }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; a: Assertion }
  | { op: 'match' };

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
