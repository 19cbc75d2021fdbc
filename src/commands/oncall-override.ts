/**
 * `/oncall override <who> <from> <to> [rotation]` (admins): `who` is an @mention, `me`, an open_id or an email;
 * `from` is `now` or a time (`2026-12-24T18:00`, `2026-12-24 18:00`, `2026-12-24`) on the rotation's wall
 * clock; `to` is such a time or a duration after `from` (`12h`, `2d`). The rotation is implied when only one
 * is configured or the thread's incident routes to one. Recorded once per message, audited.
 */
import { can } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import { rosterOf } from '../oncall/roster.js';
import { formatLocal, parseLocalTime } from '../oncall/zoned-time.js';
import { parseDuration } from '../shared/duration.js';
import { type CommandEvent, type Reply, text } from './define.js';
import { threadIncident } from './launch.js';

const MAX_MS = 90 * 86_400_000;
const PERSON = /^(?:ou_[A-Za-z0-9_-]+|[^@\s]+@[^@\s]+)$/;

export async function overrideOncall(words: string[], named: string | undefined, ev: CommandEvent): Promise<Reply> {
  const { t, actor } = ev.ctx;
  const deps = ev.deps.incidents;
  const decision = can(actor, 'admin');
  if (!decision.ok) {
    deps.store.audit.record(
      {
        actor: actor.openId || 'unknown',
        action: 'command.oncall.override',
        target: `chat:${ev.message.chatId}`,
        decision: 'denied',
        detail: { permission: 'admin', missing: decision.missing, reason: decision.reason },
      },
      deps.clock.now(),
    );
    return text(refusalMessage(t, decision, actor));
  }
  const roster = rosterOf(deps.store, deps.config.file.oncall, deps.config.timezone);
  if (roster.names().length === 0) return text(t('command.oncall.noRotations'));
  const taken = takePerson(ev, words);
  const parts = joinDateAndTime(taken.rest);
  if (!taken.who || parts.length < 2 || parts.length > 3) return text(t('command.oncall.overrideUsage'));
  const who = taken.who;
  const [fromWord, toWord, rotationWord] = parts as [string, string, string | undefined];

  const rotation = rotationWord ?? named ?? impliedRotation(ev, roster.names());
  if (!rotation || !roster.info(rotation)) {
    return text(t('command.oncall.overrideWhichRotation', { rotations: roster.names().join(', ') }));
  }
  const zone = (roster.info(rotation) as { zone: string }).zone;
  const now = deps.clock.now();
  const from = fromWord.toLowerCase() === 'now' ? now : parseLocalTime(fromWord, zone);
  if (from === undefined) return text(t('command.oncall.overrideBadTime', { value: fromWord, zone }));
  const span = /^\d/.test(toWord) && !toWord.includes('-') ? parseDuration(toWord) : undefined;
  const to = span !== undefined ? from + span : parseLocalTime(toWord, zone);
  if (to === undefined) return text(t('command.oncall.overrideBadTime', { value: toWord, zone }));
  if (to <= from || to - from > MAX_MS) return text(t('command.oncall.overrideOrder'));
  if (to <= now) return text(t('command.oncall.overridePast'));

  const { override, created } = roster.addOverride(
    { rotation, who, from, to, by: actor.openId, source: `message:${ev.message.messageId}` },
    now,
  );
  if (created) {
    deps.store.audit.record(
      {
        actor: actor.openId,
        action: 'oncall.override',
        target: `rotation:${rotation}`,
        decision: 'allowed',
        detail: { who, from, to, overrideId: override.id },
      },
      now,
    );
  }
  return text(
    t('command.oncall.overrideSet', {
      who: mention(ev, who),
      rotation,
      from: formatLocal(override.startsAt, zone),
      to: `${formatLocal(override.endsAt, zone)} ${zone}`,
    }),
  );
}

/** A person as a text-message mention: an open_id (or an email Feishu resolved) mentions, else the email. */
export function mention(ev: CommandEvent, ref: string): string {
  const id = ev.deps.incidents.people.openIds([ref])[0];
  return id ? `<at user_id="${id}"></at>` : ref;
}

/** `2026-12-24 18:00` written with a space is one time. */
function joinDateAndTime(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1];
    if (/^\d{4}-\d\d-\d\d$/.test(w) && next && /^\d\d?:\d\d$/.test(next)) {
      out.push(`${w}T${next.padStart(5, '0')}`);
      i++;
    } else out.push(w);
  }
  return out;
}

/**
 * The person the words start with: an @mention (matched by the name Feishu put in the text, which may hold
 * spaces), `me`, an open_id or an email.
 */
function takePerson(ev: CommandEvent, words: string[]): { who: string | undefined; rest: string[] } {
  const [first, ...rest] = words;
  if (first === undefined) return { who: undefined, rest };
  if (first.toLowerCase() === 'me') return { who: ev.ctx.actor.openId || undefined, rest };
  if (first.startsWith('@')) {
    for (const m of ev.message.mentions) {
      if (m.isBot) continue;
      if (m.key === first) return { who: m.openId, rest };
      const n = m.name.split(/\s+/).length;
      if (words.slice(0, n).join(' ') === `@${m.name}`) return { who: m.openId, rest: words.slice(n) };
    }
    return { who: undefined, rest };
  }
  return { who: PERSON.test(first) ? first : undefined, rest };
}

function impliedRotation(ev: CommandEvent, names: string[]): string | undefined {
  if (names.length === 1) return names[0];
  const inc = threadIncident(ev);
  return inc ? ev.deps.incidents.routes.decide(inc.labels).rotation : undefined;
}
