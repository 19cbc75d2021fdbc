/**
 * `/status [namespace]`: open incidents by priority (from the store, instantly) and, when the cluster tools are
 * configured, the pods that are not running or keep restarting.
 */
import { z } from 'zod';
import { namespaceArg, positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const statusCommand = defineCommand({
  name: 'status',
  usage: '/status [namespace]',
  summary: 'command.status',
  args: positionalOnly(z.array(namespaceArg).max(1)),
  permission: 'report.read',
  async run(a, ev) {
    const { t, tools, actor } = ev.ctx;
    const ns = a.positional[0];
    const active = ev.deps.incidents.store.incidents
      .list({ status: 'active', limit: 5000 })
      .filter((i) => !ns || i.namespace === ns);
    const counts = ['P0', 'P1', 'P2', 'P3'].map((p) => `${p} ${active.filter((i) => i.priority === p).length}`);
    const lines = [t('command.status.incidents', { scope: ns ?? '*', counts: counts.join(' · ') })];
    if (tools) {
      ev.interim(t('command.working'));
      const r = await tools.call(
        'k8s.resources_list',
        { kind: 'pod', ...(ns ? { namespace: ns } : {}) },
        {
          kind: 'command',
          person: actor.openId,
        },
      );
      if (r.kind === 'ok') {
        const items = ((r.data as { items?: Record<string, unknown>[] }).items ?? []).filter(
          (p) => (p.status !== 'Running' && p.status !== 'Completed') || Number(p.restarts ?? 0) > 3,
        );
        lines.push(t('command.status.pods', { count: items.length }));
        for (const p of items.slice(0, 15)) lines.push(`- ${p.namespace ?? ''}/${p.name} ${p.status} ↻${p.restarts}`);
      } else if (r.kind !== 'no_data')
        lines.push(t('command.toolFailed', { reason: 'message' in r ? r.message : r.kind }));
    }
    return text(lines.join('\n'));
  },
});
