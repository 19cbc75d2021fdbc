/**
 * Person references as configuration writes them — a Feishu open_id (`ou_…`) or an email — and the emails
 * resolved to open_ids once at start-up (`batch_get_id` behind FeishuPort.resolveEmails). Resolution failures
 * are logged, never fatal: an unresolved email simply matches no one until it is resolved.
 */
import type { FeishuPort } from '../ports/feishu.js';
import type { Logger } from '../shared/log.js';

const OPEN_ID = /^ou_[A-Za-z0-9_-]+$/;

/** Whether a person reference is an open_id (anything else configuration accepts is an email). */
export function isOpenId(ref: string): boolean {
  return OPEN_ID.test(ref);
}

export class EmailDirectory {
  private readonly toOpenId = new Map<string, string>();

  /**
   * Resolves every email among `refs` that is not resolved yet; returns the emails Feishu does not know.
   * Throws nothing: a failed lookup is logged and leaves those emails unresolved (a later call may retry).
   */
  async load(
    feishu: Pick<FeishuPort, 'resolveEmails'>,
    refs: readonly string[],
    log?: Logger,
  ): Promise<{ missing: string[] }> {
    const emails = [...new Set(refs.filter((r) => !isOpenId(r)).map((r) => r.toLowerCase()))].filter(
      (e) => !this.toOpenId.has(e),
    );
    if (emails.length === 0) return { missing: [] };
    try {
      const found = await feishu.resolveEmails(emails);
      for (const [email, openId] of found) this.set(email, openId);
    } catch (err) {
      log?.warn({ err: (err as Error).message, emails: emails.length }, 'could not resolve people emails');
      return { missing: emails };
    }
    return { missing: emails.filter((e) => !this.toOpenId.has(e)) };
  }

  /** Sets a mapping directly (tests, or a later directory source). */
  set(email: string, openId: string): void {
    if (isOpenId(openId)) this.toOpenId.set(email.toLowerCase(), openId);
  }

  /** The open_id a reference denotes: itself for an open_id, the resolved one for an email, else undefined. */
  openId(ref: string): string | undefined {
    return isOpenId(ref) ? ref : this.toOpenId.get(ref.toLowerCase());
  }

  /** Every resolved email that denotes this open_id. */
  emailsOf(openId: string): string[] {
    const out: string[] = [];
    for (const [email, id] of this.toOpenId) if (id === openId) out.push(email);
    return out;
  }
}
