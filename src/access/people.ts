/**
 * The people directory: the configured `people` with their roles, matched to open_ids. People named by email
 * (and on-call lists written with emails) are resolved once at start-up through `EmailDirectory`; until an
 * email resolves, that person is unknown and may do only what anyone may. It is the product's `ActorResolver`.
 */
import type { FeishuPort } from '../ports/feishu.js';
import type { Logger } from '../shared/log.js';
import type { Actor, ActorResolver, Person } from './actor.js';
import { EmailDirectory, isOpenId } from './emails.js';

export class PeopleDirectory implements ActorResolver {
  constructor(
    private readonly people: readonly Person[],
    readonly emails: EmailDirectory = new EmailDirectory(),
  ) {}

  /** True when no `people` are configured: anyone may ack, resolve and silence; approvals are refused. */
  get openAccess(): boolean {
    return this.people.length === 0;
  }

  /**
   * Resolves the emails among the people and `extraRefs` (the routes' on-call lists). Unknown emails are logged
   * by count and address; nothing here throws.
   */
  async load(feishu: Pick<FeishuPort, 'resolveEmails'>, extraRefs: readonly string[] = [], log?: Logger) {
    const refs = [...this.people.map((p) => p.id), ...extraRefs];
    const { missing } = await this.emails.load(feishu, refs, log);
    if (missing.length > 0) log?.warn({ missing }, 'people emails unknown to Feishu; they are treated as strangers');
    return { missing };
  }

  resolve(openId: string | undefined): Actor {
    const id = openId?.trim() ?? '';
    const base: Actor = this.openAccess ? { openId: id, openAccess: true } : { openId: id };
    if (!id) return base;
    const emails = this.emails.emailsOf(id);
    const person = this.people.find((p) => (isOpenId(p.id) ? p.id === id : this.emails.openId(p.id) === id));
    return {
      ...base,
      ...(person ? { person } : {}),
      ...(emails.length > 0 ? { emails } : {}),
    };
  }
}
