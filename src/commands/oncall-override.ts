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
  const parts = joinDateAndTime(words);
  if (parts.length < 3 || parts.length > 4) return text(t('command.oncall.overrideUsage'));
  const [whoWord, fromWord, toWord, rotationWord] = parts as [string, string, string, string | undefined];

  const rotation = rotationWord ?? named ?? impliedRotation(ev, roster.names());
  if (!rotation || !roster.info(rotation)) {
    return text(t('command.oncall.overrideWhichRotation', { rotations: roster.names().join(', ') }));
  }
  const zone = (roster.info(rotation) as { zone: string }).zone;
  const who = person(ev, whoWord);
  if (!who) return text(t('command.oncall.overrideUsage'));
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

/** An @mention (matched by the name Feishu put in the text), `me`, an open_id or an email. */
function person(ev: CommandEvent, word: string): string | undefined {
  if (word.toLowerCase() === 'me') return ev.ctx.actor.openId || undefined;
  if (word.startsWith('@')) {
    const name = word.slice(1);
    const m = ev.message.mentions.find((x) => !x.isBot && (x.name === name || x.key === word));
    return m?.openId;
  }
  return PERSON.test(word) ? word : undefined;
}

function impliedRotation(ev: CommandEvent, names: string[]): string | undefined {
  if (names.length === 1) return names[0];
  const inc = threadIncident(ev);
  return inc ? ev.deps.incidents.routes.decide(inc.labels).rotation : undefined;
}
