/**
 * `/run <runbook> key=value …` — any runbook of the catalogue with its parameters, checked here against the
 * catalogue (an unknown id suggests the closest ones; a missing or unknown parameter names the ones it takes)
 * before the engine validates and types them. In an incident thread the incident's namespace and workload
 * fill the `namespace` and `deployment` parameters nobody gave.
 */
import { z } from 'zod';
import type { RunbookSummary } from '../ports/remediation.js';
import { closest } from '../shared/closest.js';
import { incidentAccess } from './args.js';
import { type CommandEvent, defineCommand, text } from './define.js';
import { incidentWorkload, launch, threadIncident } from './launch.js';
import type { Tokens } from './parse.js';

const USAGE = '/run <runbook> key=value …';
const RUNBOOK_ID = /^[a-z0-9][a-z0-9-]*$/;

/** `selector=app.kubernetes.io/name=web` holds a slash, so the tokenizer leaves it positional: read it here. */
const PAIR = /^([a-z][a-z0-9_]*)=(.*)$/;

const args = z.object({
  positional: z.tuple([z.string().regex(RUNBOOK_ID)], z.string().regex(PAIR)),
  flags: z.object({}).strict(),
  kv: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.string().max(500)),
}) as unknown as z.ZodType<{ positional: [string, ...string[]]; kv: Record<string, string> }, Tokens>;

/** Incident facts that fill a parameter of that name nobody gave. */
const IMPLIED = ['namespace', 'deployment', 'statefulset', 'daemonset', 'pod', 'node', 'job', 'service'] as const;

export const runCommand = defineCommand({
  name: 'run',
  usage: USAGE,
  summary: 'command.run',
  args,
  permission: 'runbook.request',
  scope: (_a, ev) => incidentAccess(ev, ev.threadIncidentId),
  async run(a, ev) {
    const { t } = ev.ctx;
    const launcher = ev.deps.launcher;
    if (!launcher) return text(t('command.run.unavailable'));
    const id = a.positional[0];
    const catalogue = launcher.catalogue();
    const rb = catalogue.find((r) => r.id === id);
    if (!rb) return text(unknownRunbook(ev, id, catalogue));
    const params = { ...a.kv };
    for (const w of a.positional.slice(1)) {
      const m = PAIR.exec(w);
      if (m) params[m[1] as string] = m[2] as string;
    }
    const inc = threadIncident(ev);
    const declared = new Set(rb.params.map((p) => p.name));
    if (inc) {
      for (const key of IMPLIED) {
        if (!declared.has(key) || params[key] !== undefined) continue;
        const v = key === 'namespace' ? (inc.namespace ?? undefined) : incidentWorkload(inc, key);
        if (v) params[key] = v;
      }
    }
    const unknown = Object.keys(params).filter((k) => !declared.has(k));
    if (unknown.length > 0) {
      return text(
        t('command.run.unknownParams', { id, params: unknown.join(', '), known: [...declared].join(', ') || '—' }),
      );
    }
    const missing = rb.params.filter((p) => p.required && p.default === undefined && params[p.name] === undefined);
    if (missing.length > 0) {
      return text(
        t('command.run.missingParams', {
          id,
          params: missing.map((p) => p.name).join(', '),
          example: rb.params
            .filter((p) => p.required && p.default === undefined)
            .map((p) => `${p.name}=…`)
            .join(' '),
        }),
      );
    }
    const target = ['namespace', 'deployment', 'pod', 'node']
      .map((k) => params[k])
      .filter(Boolean)
      .join('/');
    return launch(ev, id, params, target || id, inc);
  },
});

function unknownRunbook(ev: CommandEvent, id: string, catalogue: readonly RunbookSummary[]): string {
  const { t } = ev.ctx;
  const near = closest(
    id,
    catalogue.map((r) => r.id),
  );
  // Words in common catch "rollback" → deployment-rollback, which edit distance alone misses.
  const words = id.split('-').filter((w) => w.length > 2);
  for (const r of catalogue) {
    if (near.length < 3 && !near.includes(r.id) && words.some((w) => r.id.split('-').includes(w))) near.push(r.id);
  }
  const hint = near.length ? ` ${t('command.didYouMean', { names: near.join(', ') })}` : '';
  return `${t('command.run.unknownRunbook', { id })}${hint}`;
}
