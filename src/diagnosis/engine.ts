/**
 * `diagnose(scope, deps)`: one snapshot of the cluster through the read port, every analyzer over it,
 * drafts collapsed per cause and symptoms folded under their causes, the rollout change behind each failing
 * workload, the log lines and (with Prometheus) the numbers that explain it, runbooks with their parameters,
 * all worded from the message catalog. No LLM, no guessing: a healthy target says what was checked.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterReader } from '../ports/cluster.js';
import type { MetricsQuery } from '../ports/metrics-query.js';
import { describeError } from '../shared/errors.js';
import type { MessageKey, Translate } from '../shared/i18n.js';
import type { ResourceRef } from '../shared/resource-ref.js';
import { ANALYZERS } from './analyzers/index.js';
import { rolloutChange } from './change.js';
import { collapse, fold, type Group } from './correlate.js';
import type { Diagnosis, Evidence, EvidenceOf, Finding } from './finding.js';
import { explainingLines } from './logs.js';
import { metricEvidence } from './metrics.js';
import { recentChanges } from './recent.js';
import { suggestRunbooks } from './runbooks.js';
import { describeScope, type Scope, scopeCluster, scopeFocus, scopeNamespace } from './scope.js';
import { loadSnapshot, type Snapshot } from './snapshot.js';

export interface DiagnoseDeps {
  reader: ClusterReader;
  clock: { now(): number };
  t: Translate;
  metrics?: MetricsQuery | undefined;
  /** Findings whose logs are read (the top ones). Default 5. */
  maxLogReads?: number;
  /** Affected objects named per finding. Default 10. */
  maxAffected?: number;
}

/** Where a diagnosis reads from: the cluster (required) and Prometheus (optional). */
export type DiagnosisSources = Pick<DiagnoseDeps, 'reader' | 'metrics'>;

const LOG_TAIL = 100;
const CHECKED_KINDS = [
  'pod',
  'deployment',
  'statefulset',
  'daemonset',
  'service',
  'persistentvolumeclaim',
  'ingress',
  'job',
  'cronjob',
  'horizontalpodautoscaler',
  'poddisruptionbudget',
  'networkpolicy',
  'node',
] as const;

const sameObject = (a: ResourceRef, b: ResourceRef) =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

function inFocus(g: Group, focus: readonly ResourceRef[]): boolean {
  if (focus.length === 0) return true;
  const refs = [g.resource, ...g.related.values(), ...g.subjects];
  return refs.some((r) => focus.some((f) => sameObject(r, f)));
}

async function logEvidence(reader: ClusterReader, cluster: string, g: Group): Promise<EvidenceOf<'log'> | undefined> {
  const l = g.logs;
  if (!l) return undefined;
  const read = (previous: boolean) =>
    reader
      .logs(cluster, l.namespace, l.pod, { container: l.container, tail: LOG_TAIL, previous })
      .catch(() => [] as string[]);
  let previous = l.previous;
  let lines = explainingLines(await read(previous));
  if (lines.length === 0 && previous) {
    previous = false;
    lines = explainingLines(await read(false));
  }
  if (lines.length === 0) return undefined;
  return { type: 'log', source: `${l.namespace}/pod/${l.pod}`, container: l.container, previous, lines };
}

function word(t: Translate, key: string, vars: Record<string, string | number>): string {
  return t(key as MessageKey, vars);
}

/** `fooKey: 'x'` picks the wording `diagnosis.<pattern>.foo.x` (filled from the same vars) for `{foo}`. */
function expandWording(t: Translate, pattern: string, vars: Record<string, string | number>): void {
  for (const [k, v] of Object.entries(vars))
    if (k.endsWith('Key') && typeof v === 'string')
      vars[k.slice(0, -3)] = word(t, `diagnosis.${pattern}.${k.slice(0, -3)}.${v}`, vars);
}

function changeSentence(t: Translate, c: EvidenceOf<'change'>, now: number): string {
  const ago = c.at ? Math.max(0, Math.round((now - Date.parse(c.at)) / 60_000)) : undefined;
  const what = c.changes
    .slice(0, 3)
    .map((x) => (x.from.length + x.to.length > 90 ? `${x.field} changed` : `${x.field} ${x.from} → ${x.to}`))
    .join('; ');
  return word(t, 'diagnosis.change.after', {
    revision: c.revision,
    ago: ago === undefined ? '?' : String(ago),
    changes: what || c.changeCause || '-',
  });
}

function toFinding(g: Group, t: Translate, maxAffected: number, now: number): Finding {
  const vars: Record<string, string | number> = {
    ...g.vars,
    name: g.resource.name,
    namespace: g.resource.namespace ?? '',
    count: g.subjects.length,
  };
  expandWording(t, g.pattern, vars);
  const change = g.evidence.find((e): e is EvidenceOf<'change'> => e.type === 'change');
  let cause = word(t, `diagnosis.${g.pattern}.cause`, vars);
  const recent = g.evidence.find(
    (e): e is EvidenceOf<'recent_change'> => e.type === 'recent_change' && e.beforeFailure,
  );
  if (change?.beforeFailure) cause = `${cause} ${changeSentence(t, change, now)}`;
  else if (recent) {
    const ago = recent.at ? Math.max(0, Math.round((now - Date.parse(recent.at)) / 60_000)) : '?';
    cause = `${cause} ${word(t, 'diagnosis.change.recent', { what: recent.what, ago })}`;
  }
  const affected = g.subjects.filter((s) => !sameObject(s, g.resource));
  return {
    id: g.id,
    pattern: g.pattern,
    severity: g.severity,
    resource: g.resource,
    title: word(t, `diagnosis.${g.pattern}.title`, vars),
    cause,
    evidence: g.evidence,
    confidence: g.confidence,
    runbooks: [],
    affected: affected.slice(0, maxAffected),
    affectedCount: affected.length,
    folded: g.folded.map((f) => ({
      pattern: f.pattern,
      resource: f.resource,
      title: (() => {
        const v: Record<string, string | number> = {
          ...f.vars,
          name: f.resource.name,
          namespace: f.resource.namespace ?? '',
          count: f.subjects.length,
        };
        expandWording(t, f.pattern, v);
        return word(t, `diagnosis.${f.pattern}.title`, v);
      })(),
    })),
  };
}

function podsOf(snap: Snapshot, g: Group): V1Pod[] {
  return g.subjects
    .filter((s) => s.kind === 'pod')
    .map((s) => snap.objects.pod.find((p) => p.metadata?.name === s.name && p.metadata?.namespace === s.namespace))
    .filter((p): p is V1Pod => p !== undefined);
}

export async function diagnose(scope: Scope, deps: DiagnoseDeps): Promise<Diagnosis> {
  const started = deps.clock.now();
  const cluster = scopeCluster(scope) || deps.reader.defaultCluster;
  const namespace = scopeNamespace(scope);
  const { snapshot: snap, problems, skipped } = await loadSnapshot(deps.reader, cluster, namespace, started);
  const focus = scopeFocus(scope);
  if (scope.kind === 'resource' && problems.length === 0) {
    const r = scope.ref;
    const kind = r.kind as Parameters<Snapshot['find']>[0];
    const known = kind in snap.objects ? snap.find(kind, r.namespace, r.name) : true;
    if (!known)
      problems.push(
        `${r.kind}/${r.name} not found${r.namespace ? ` in namespace ${r.namespace}` : ''} (cluster ${cluster || 'default'})`,
      );
  }
  const drafts = ANALYZERS.flatMap((a) => {
    try {
      return a.analyze(snap);
    } catch (err) {
      problems.push(`${a.kind} analyzer: ${describeError(err)}`);
      return [];
    }
  });
  const groups = collapse(drafts);
  for (const g of groups) {
    if (!g.pattern.startsWith('pod.') && g.pattern !== 'workload.inconclusive') continue;
    const pods = podsOf(snap, g);
    const change = rolloutChange(snap, g.resource, pods);
    g.evidence = [...g.evidence, ...(change ? [change] : []), ...recentChanges(snap, pods)];
  }
  const top = fold(groups).filter((g) => inFocus(g, focus));
  const maxLogs = deps.maxLogReads ?? 5;
  const at = new Date(started).toISOString();
  await Promise.all(
    top.slice(0, maxLogs).map(async (g) => {
      const [log, metrics] = await Promise.all([
        logEvidence(deps.reader, cluster, g),
        deps.metrics ? metricEvidence(g, deps.metrics, at) : Promise.resolve([] as Evidence[]),
      ]);
      g.evidence = [...g.evidence, ...(log ? [log] : []), ...metrics];
    }),
  );
  const findings = top.map((g) => {
    const f = toFinding(g, deps.t, deps.maxAffected ?? 10, started);
    const change = g.evidence.find((e): e is EvidenceOf<'change'> => e.type === 'change');
    const logLines = g.evidence.flatMap((e) => (e.type === 'log' ? e.lines : []));
    f.runbooks = suggestRunbooks({ pattern: g.pattern, resource: g.resource, facts: g.facts, change, logLines });
    return f;
  });
  const causes = top.filter((g) => !g.symptom && g.pattern !== 'workload.inconclusive');
  const inNs = (o: { metadata?: { namespace?: string } }) =>
    namespace === undefined || o.metadata?.namespace === namespace;
  return {
    cluster,
    target: describeScope(scope),
    ...(namespace ? { namespace } : {}),
    at,
    durationMs: deps.clock.now() - started,
    verdict: causes.length > 0 ? 'problems' : top.length > 0 || problems.length > 0 ? 'inconclusive' : 'healthy',
    findings,
    checked: CHECKED_KINDS.map((kind) => ({
      kind,
      count: (snap.objects[kind] as { metadata?: { namespace?: string } }[]).filter((o) => kind === 'node' || inNs(o))
        .length,
    })).filter((c) => c.count > 0),
    problems,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
