/**
 * Reads the model's answer: the four sections (root cause, evidence, impact, next steps) in either language,
 * whether it is inconclusive, and which engine findings (F1…) it cites. A section the model left out is empty;
 * the card shows the answer as written either way.
 */
export interface ParsedAnswer {
  rootCause: string;
  evidence: string;
  impact: string;
  nextSteps: string;
  inconclusive: boolean;
  cites: string[];
}

const HEADINGS: Record<keyof Omit<ParsedAnswer, 'inconclusive' | 'cites'>, RegExp> = {
  rootCause: /^root cause|^根因/i,
  evidence: /^evidence|^证据/i,
  impact: /^impact|^影响/i,
  nextSteps: /^next steps?|^下一步/i,
};

export function parseAnswer(text: string): ParsedAnswer {
  const out: ParsedAnswer = { rootCause: '', evidence: '', impact: '', nextSteps: '', inconclusive: false, cites: [] };
  let current: keyof typeof HEADINGS | undefined;
  const buf: Record<string, string[]> = { rootCause: [], evidence: [], impact: [], nextSteps: [] };
  for (const line of text.split('\n')) {
    const h = /^#{1,4}\s*(.+?)\s*$/.exec(line) ?? /^\*\*(.+?)\*\*:?\s*$/.exec(line);
    if (h) {
      const title = (h[1] ?? '').trim();
      const key = (Object.keys(HEADINGS) as (keyof typeof HEADINGS)[]).find((k) => HEADINGS[k].test(title));
      if (key) {
        current = key;
        continue;
      }
    }
    if (current) buf[current]?.push(line);
  }
  out.rootCause = (buf.rootCause ?? []).join('\n').trim();
  out.evidence = (buf.evidence ?? []).join('\n').trim();
  out.impact = (buf.impact ?? []).join('\n').trim();
  out.nextSteps = (buf.nextSteps ?? []).join('\n').trim();
  const cause = out.rootCause || text.slice(0, 400);
  out.inconclusive = /\binconclusive\b|无法定论|不确定|无法确定/i.test(cause);
  out.cites = [...new Set([...text.matchAll(/\[(F\d{1,2})\]/g)].map((m) => m[1] as string))];
  return out;
}
