/**
 * Feishu refuses cards over 30 KB (error 230025). `fitCard` keeps every card under the limit by shortening
 * its longest markdown texts first (with a visible "…" mark), then dropping trailing elements.
 */
import type { CardJson } from '../ports/feishu.js';

/** Feishu's limit is 30 KB; leave headroom for the message envelope. */
export const MAX_CARD_BYTES = 28 * 1024;
const MARK = '\n…';

export function cardBytes(card: CardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

type Texted = { tag?: unknown; content?: unknown };

function markdownNodes(node: unknown, out: Texted[] = []): Texted[] {
  if (Array.isArray(node)) for (const n of node) markdownNodes(n, out);
  else if (node && typeof node === 'object') {
    const t = node as Texted;
    if ((t.tag === 'markdown' || t.tag === 'plain_text' || t.tag === 'lark_md') && typeof t.content === 'string') {
      out.push(t);
    }
    for (const v of Object.values(node)) markdownNodes(v, out);
  }
  return out;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = Math.max(0, maxBytes - Buffer.byteLength(MARK, 'utf8'));
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  // Do not leave half an HTML entity (escaped text) at the cut.
  out = out.replace(/&#?[A-Za-z0-9]*$/, '');
  return out + MARK;
}

/** Returns a copy of the card that fits in `limit` bytes. */
export function fitCard(card: CardJson, limit = MAX_CARD_BYTES): CardJson {
  if (cardBytes(card) <= limit) return card;
  const copy = structuredClone(card);
  for (let round = 0; round < 50; round++) {
    const excess = cardBytes(copy) - limit;
    if (excess <= 0) return copy;
    const nodes = markdownNodes((copy as { body?: unknown }).body).sort(
      (a, b) => (b.content as string).length - (a.content as string).length,
    );
    const longest = nodes[0];
    if (!longest || (longest.content as string).length <= 200) break;
    const current = longest.content as string;
    // JSON escaping can make a byte of text cost more on the wire; cut a little more than the excess.
    longest.content = truncateBytes(current, Math.max(100, Buffer.byteLength(current, 'utf8') - excess * 2 - 64));
  }
  const body = (copy as { body?: { elements?: unknown[] } }).body;
  while (body?.elements && body.elements.length > 1 && cardBytes(copy) > limit) body.elements.pop();
  return copy;
}
