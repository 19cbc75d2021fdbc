/**
 * Alertmanager's silences, in memory: matchers (equal, not-equal, regex), a time window, and the API v2 shapes
 * (`POST /api/v2/silences`, `GET /api/v2/silence/{id}`, `GET /api/v2/silences`, `DELETE /api/v2/silence/{id}`).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Labels } from './samples.js';

export const SilenceInputSchema = z.object({
  id: z.string().optional(),
  matchers: z
    .array(
      z.object({
        name: z.string().min(1),
        value: z.string(),
        isRegex: z.boolean(),
        isEqual: z.boolean().default(true),
      }),
    )
    .min(1),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  createdBy: z.string().min(1),
  comment: z.string().min(1),
});
export type SilenceInput = z.infer<typeof SilenceInputSchema>;

export interface Silence extends SilenceInput {
  id: string;
  updatedAt: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';

function anchored(re: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${re})$`);
  } catch {
    return undefined;
  }
}

export function matches(s: SilenceInput, labels: Labels): boolean {
  return s.matchers.every((m) => {
    const v = labels[m.name] ?? '';
    const hit = m.isRegex ? (anchored(m.value)?.test(v) ?? false) : v === m.value;
    return m.isEqual ? hit : !hit;
  });
}

export class Silences {
  private readonly all = new Map<string, Silence>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Creates (or, with an id it knows, updates) a silence; returns its id. Invalid regexes are refused. */
  upsert(input: SilenceInput): string {
    if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) throw new Error('endsAt must be after startsAt');
    const bad = input.matchers.find((m) => m.isRegex && !anchored(m.value));
    if (bad) throw new Error(`invalid regular expression for matcher ${bad.name}: ${bad.value}`);
    const id = input.id && this.all.has(input.id) ? input.id : randomUUID();
    this.all.set(id, { ...input, id, updatedAt: new Date(this.now()).toISOString() });
    return id;
  }

  expire(id: string): boolean {
    const s = this.all.get(id);
    if (!s) return false;
    const now = this.now();
    const endsAt = new Date(Math.max(now, Date.parse(s.startsAt))).toISOString();
    this.all.set(id, { ...s, endsAt, updatedAt: new Date(now).toISOString() });
    return true;
  }

  get(id: string): Silence | undefined {
    return this.all.get(id);
  }

  list(): Silence[] {
    return [...this.all.values()];
  }

  state(s: Silence): SilenceState {
    const now = this.now();
    if (Date.parse(s.endsAt) <= now) return 'expired';
    return Date.parse(s.startsAt) > now ? 'pending' : 'active';
  }

  /** Ids of the active silences muting these labels. */
  silencedBy(labels: Labels): string[] {
    return this.list()
      .filter((s) => this.state(s) === 'active' && matches(s, labels))
      .map((s) => s.id);
  }

  /** The API v2 view of a silence. */
  view(s: Silence): Silence & { status: { state: SilenceState } } {
    return { ...s, status: { state: this.state(s) } };
  }
}
