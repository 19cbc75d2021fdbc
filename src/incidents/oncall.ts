/**
 * Who is on call for an incident now (`oncallNow`: the route's fixed people plus the current person of its
 * rotations, at the instant asked — so a handover mid-incident changes who the next escalation step reaches),
 * and the directory of on-call people: Feishu open_ids as given, emails resolved to open_ids once at start-up
 * (`batch_get_id` behind FeishuPort.resolveEmails) and cached. An email Feishu does not know is still
 * mentioned in cards by email; it just cannot receive an urgent call.
 */
import type { RouteDecision } from '../alerts/route-table.js';
import type { Config, FileConfig } from '../config.js';
import { rosterOf } from '../oncall/roster.js';
import type { FeishuPort } from '../ports/feishu.js';
import type { Logger } from '../shared/log.js';
import type { Store } from '../store/index.js';

const OPEN_ID = /^ou_[A-Za-z0-9_-]+$/;

export class OncallDirectory {
  private readonly emails = new Map<string, string>();

  /** Resolves every email among `refs`; failures are logged, never fatal (mentions fall back to email). */
  async load(feishu: Pick<FeishuPort, 'resolveEmails'>, refs: readonly string[], log?: Logger): Promise<void> {
    const emails = [...new Set(refs.filter((r) => !OPEN_ID.test(r)))];
    if (emails.length === 0) return;
    try {
      const found = await feishu.resolveEmails(emails);
      for (const [email, openId] of found) this.emails.set(email.toLowerCase(), openId);
      const missing = emails.filter((e) => !this.emails.has(e.toLowerCase()));
      if (missing.length > 0) log?.warn({ missing }, 'on-call emails unknown to Feishu; they get no urgent calls');
    } catch (err) {
      log?.warn({ err: (err as Error).message }, 'could not resolve on-call emails; mentioning them by email');
    }
  }

  /** Sets a mapping directly (tests, or a later rotation source). */
  set(email: string, openId: string): void {
    this.emails.set(email.toLowerCase(), openId);
  }

  /** open_ids for urgent calls (unresolved emails are left out). */
  openIds(refs: readonly string[]): string[] {
    const out: string[] = [];
    for (const r of refs) {
      const id = OPEN_ID.test(r) ? r : this.emails.get(r.toLowerCase());
      if (id && !out.includes(id)) out.push(id);
    }
    return out;
  }

  /** Card-markdown mentions: `<at id=ou_…></at>`, or `<at email=…></at>` for unresolved emails. */
  mentions(refs: readonly string[]): string[] {
    return refs.map((r) => {
      const id = OPEN_ID.test(r) ? r : this.emails.get(r.toLowerCase());
      return id ? `<at id=${id}></at>` : `<at email=${r.replace(/[<>\s]/g, '')}></at>`;
    });
  }
}

/** Every person ref in the routes (and the rotations and their overrides), for start-up resolution. */
export function allPeople(
  routes: readonly { oncall: string[]; secondary_oncall: string[] }[],
  oncall?: FileConfig['oncall'],
): string[] {
  const rotations = oncall
    ? [...oncall.rotations.flatMap((r) => r.members), ...oncall.overrides.map((o) => o.who)]
    : [];
  return [...new Set([...routes.flatMap((r) => [...r.oncall, ...r.secondary_oncall]), ...rotations])];
}

export interface OncallNow {
  /** Primary on-call: the rotation's current person first, then the route's fixed people. */
  oncall: string[];
  secondaryOncall: string[];
  /** The primary rotation's turn: whose it is and until when (for the card and /oncall). */
  rotation?: { name: string; who: string; until: number; zone: string };
}

/** Who is on call for a route decision at `at`. */
export function oncallNow(
  deps: { config: Pick<Config, 'file' | 'timezone'>; store: Store },
  decision: Pick<RouteDecision, 'oncall' | 'secondaryOncall' | 'rotation' | 'secondaryRotation'>,
  at: number,
): OncallNow {
  if (!decision.rotation && !decision.secondaryRotation) {
    return { oncall: decision.oncall, secondaryOncall: decision.secondaryOncall };
  }
  const roster = rosterOf(deps.store, deps.config.file.oncall, deps.config.timezone);
  const primary = decision.rotation ? roster.onCall(decision.rotation, at) : undefined;
  const secondary = decision.secondaryRotation ? roster.onCall(decision.secondaryRotation, at) : undefined;
  const zone = decision.rotation ? roster.info(decision.rotation)?.zone : undefined;
  return {
    oncall: unique([...(primary ? [primary.who] : []), ...decision.oncall]),
    secondaryOncall: unique([...(secondary ? [secondary.who] : []), ...decision.secondaryOncall]),
    ...(primary && decision.rotation && zone
      ? { rotation: { name: decision.rotation, who: primary.who, until: primary.until, zone } }
      : {}),
  };
}

const unique = (xs: string[]) => [...new Set(xs)];
