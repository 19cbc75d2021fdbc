/**
 * On-call people named in routes: Feishu open_ids as given, emails resolved to open_ids once at start-up
 * (`batch_get_id` behind FeishuPort.resolveEmails) and cached. An email Feishu does not know is still
 * mentioned in cards by email; it just cannot receive an urgent call.
 */
import type { FeishuPort } from '../ports/feishu.js';
import type { Logger } from '../shared/log.js';

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

/** Every person ref in the routes, for start-up resolution. */
export function allPeople(routes: readonly { oncall: string[]; secondary_oncall: string[] }[]): string[] {
  return [...new Set(routes.flatMap((r) => [...r.oncall, ...r.secondary_oncall]))];
}
