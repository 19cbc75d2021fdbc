/**
 * `/oncall [route | rotation]`: who is on call now and who is next, per route — a rotation's current person
 * (with the end of their turn and the next person) and the route's fixed people. `/oncall override <who>
 * <from> <to> [rotation]` (admins) records a dated override; see oncall-override.ts.
 */
import { z } from 'zod';
import { rosterOf } from '../oncall/roster.js';
import { formatLocal } from '../oncall/zoned-time.js';
import { type CommandEvent, defineCommand, text } from './define.js';
import { mention, overrideOncall } from './oncall-override.js';
import type { Tokens } from './parse.js';

const args = z.object({
  positional: z.array(z.string().min(1)).max(7),
  flags: z.object({}).strict(),
  kv: z.object({ rotation: z.string().min(1).optional() }).strict(),
}) as unknown as z.ZodType<{ positional: string[]; kv: { rotation?: string } }, Tokens>;

const USAGE = '/oncall [route] | /oncall override <who> <from> <to> [rotation]';

export const oncallCommand = defineCommand({
  name: 'oncall',
  usage: USAGE,
  summary: 'command.oncall',
  args,
  permission: 'report.read',
  async run(a, ev) {
    if (a.positional[0]?.toLowerCase() === 'override') {
      return overrideOncall(a.positional.slice(1), a.kv.rotation, ev);
    }
    if (a.positional.length > 1) return text(ev.ctx.t('command.usage', { usage: USAGE }));
    return text(showOncall(ev, a.positional[0]?.toLowerCase()));
  },
});

function showOncall(ev: CommandEvent, wanted: string | undefined): string {
  const { t } = ev.ctx;
  const deps = ev.deps.incidents;
  const roster = rosterOf(deps.store, deps.config.file.oncall, deps.config.timezone);
  const now = deps.clock.now();
  const who = (refs: readonly string[]) => refs.map((r) => mention(ev, r)).join(', ') || '—';
  const rotationLine = (label: string, name: string, fixed: readonly string[]): string => {
    const cur = roster.onCall(name, now);
    const info = roster.info(name);
    if (!cur || !info) return `${label}: —`;
    const next = roster.next(name, now);
    const people = [cur.who, ...fixed.filter((f) => f !== cur.who)];
    const covering = cur.override ? ` (${t('command.oncall.override', { by: mention(ev, cur.override.by) })})` : '';
    return t('command.oncall.now', {
      route: label,
      now: who(people) + covering,
      until: t('command.oncall.until', { at: `${formatLocal(cur.until, info.zone)} ${info.zone}` }),
      next: next ? mention(ev, next.who) : '—',
      from: next ? t('command.oncall.from', { at: formatLocal(next.from, info.zone) }) : '',
    });
  };

  const routes = deps.config.file.routes.map((r, i) => ({ ...r, label: r.name ?? `#${i + 1}` }));
  if (wanted && roster.info(wanted) && !routes.some((r) => r.label.toLowerCase() === wanted)) {
    return rotationLine(wanted, wanted, []);
  }
  const shown = wanted ? routes.filter((r) => r.label.toLowerCase() === wanted) : routes;
  if (wanted && shown.length === 0) {
    const known = [...routes.map((r) => r.label), ...roster.names()];
    return t('command.oncall.noRoute', { route: wanted, routes: known.join(', ') || '—' });
  }
  const lines: string[] = [];
  for (const r of shown) {
    const secondary = r.secondary_rotation
      ? [roster.onCall(r.secondary_rotation, now)?.who, ...r.secondary_oncall].filter((x): x is string => !!x)
      : r.secondary_oncall;
    if (r.rotation) {
      lines.push(
        rotationLine(r.label, r.rotation, r.oncall) +
          (secondary.length > 0 ? t('command.oncall.secondary', { secondary: who([...new Set(secondary)]) }) : ''),
      );
    } else if (r.oncall.length > 0 || secondary.length > 0) {
      lines.push(t('command.oncall.line', { route: r.label, primary: who(r.oncall), secondary: who(secondary) }));
    }
  }
  if (lines.length === 0 && !wanted) {
    for (const name of roster.names()) lines.push(rotationLine(name, name, []));
  }
  return lines.length > 0 ? lines.join('\n') : t('command.oncall.none');
}
