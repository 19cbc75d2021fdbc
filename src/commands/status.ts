/**
 * `/status [namespace]`: a card with the open incidents by priority and the newest of them (from the store,
 * instantly) and, when the cluster tools are configured, the pods that are not running or keep restarting
 * (after a "working on it" reply, since the cluster is asked).
 */
import { z } from 'zod';
import { PRIORITIES } from '../alerts/model.js';
import { escapeMarkdown } from '../cards/markdown.js';
import { type StatusCard, statusCard } from '../cards/status.js';
import { formatTime } from '../shared/time.js';
import { namespaceArg, positionalOnly } from './args.js';
import { type CommandEvent, defineCommand } from './define.js';

const PODS_SHOWN = 15;
const NEWEST_SHOWN = 5;

export const statusCommand = defineCommand({
  name: 'status',
  usage: '/status [namespace]',
  summary: 'command.status',
  args: positionalOnly(z.array(namespaceArg).max(1)),
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const ns = a.positional[0];
    const active = ev.deps.incidents.store.incidents
      .list({ status: 'active', limit: 5000 })
      .filter((i) => !ns || i.namespace === ns);
    const counts = PRIORITIES.map((p) => `${p} ${active.filter((i) => i.priority === p).length}`);
    const tz = ev.deps.incidents.config.timezone;
    const lines = [t('command.status.open', { counts: counts.join(' · ') })];
    if (active.length === 0) lines.push(t('command.status.noneOpen'));
    else {
      lines.push(t('command.status.top'));
      for (const i of active.slice(0, NEWEST_SHOWN)) {
        lines.push(`- **#${i.id}** ${i.priority} · ${escapeMarkdown(i.title)} · ${formatTime(i.firstSeen, tz)}`);
      }
    }
    const worst = PRIORITIES.find((p) => active.some((i) => i.priority === p));
    const cluster = await podHealth(ev, ns);
    const card: StatusCard = {
      title: t('command.status.title', { scope: ns ?? '*' }),
      worst,
      incidents: lines.join('\n'),
      ...(cluster ? { cluster } : {}),
    };
    return { kind: 'card', card: statusCard(card) };
  },
});

/** Pods not running (or completed) and pods restarting more than three times; undefined without cluster tools. */
async function podHealth(ev: CommandEvent, ns: string | undefined): Promise<StatusCard['cluster']> {
  const { t, tools, actor } = ev.ctx;
  if (!tools) return undefined;
  ev.interim(t('command.working'));
  const r = await tools.call(
    'k8s.resources_list',
    { kind: 'pod', ...(ns ? { namespace: ns } : {}) },
    { kind: 'command', person: actor.openId },
  );
  if (r.kind === 'no_data') return { header: t('command.status.podsHeader', { count: 0 }), lines: [] };
  if (r.kind !== 'ok') return { note: t('command.toolFailed', { reason: 'message' in r ? r.message : r.kind }) };
  const bad = ((r.data as { items?: Record<string, unknown>[] }).items ?? []).filter(
    (p) => (p.status !== 'Running' && p.status !== 'Completed') || Number(p.restarts ?? 0) > 3,
  );
  if (bad.length === 0) return { note: t('command.status.podsHealthy') };
  return {
    header: t('command.status.podsHeader', { count: bad.length }),
    lines: bad.slice(0, PODS_SHOWN).map((p) => `${p.namespace ?? ''}/${p.name} ${p.status} ↻${p.restarts ?? 0}`),
    ...(bad.length > PODS_SHOWN ? { more: t('command.status.more', { n: bad.length - PODS_SHOWN }) } : {}),
  };
}
