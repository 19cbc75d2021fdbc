/**
 * Jobs and CronJobs: a Job failed (BackoffLimitExceeded, with its newest failed pod whose log the engine
 * reads), suspended Jobs/CronJobs, and CronJob schedules that cannot fire.
 */
import { type Analyzer, type Draft, eventEvidence, eventsWith, specEvidence, statusEvidence } from '../analyzer.js';
import { iso, ms } from '../snapshot.js';

const FIELD_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

/** Why a cron schedule is invalid, or undefined when it is valid (5 fields, or @hourly-style macros). */
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim().replace(/^(TZ|CRON_TZ)=\S+\s+/, '');
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)$/.test(s)) return undefined;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields, got ${fields.length}`;
  for (const [i, f] of fields.entries()) {
    const [lo, hi] = FIELD_RANGES[i] ?? [0, 59];
    for (const part of f.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && !/^\d+$/.test(step)) return `bad step "${part}"`;
      if (range === '*' || range === '?' || NAMES.test(range ?? '')) continue;
      for (const n of (range ?? '').split('-')) {
        if (NAMES.test(n)) continue;
        if (!/^\d+$/.test(n) || Number(n) < lo || Number(n) > hi) return `"${f}" is out of range ${lo}-${hi}`;
      }
    }
  }
  return undefined;
}

export const jobAnalyzer: Analyzer = {
  kind: 'job',
  analyze(snap) {
    const out: Draft[] = [];
    for (const j of snap.objects.job) {
      const ns = j.metadata?.namespace;
      const name = j.metadata?.name ?? '';
      const self = snap.ref('job', ns, name);
      const cj = j.metadata?.ownerReferences?.find((o) => o.kind === 'CronJob');
      const owner = cj ? snap.ref('cronjob', ns, cj.name) : self;
      if (j.spec?.suspend) {
        out.push({
          pattern: 'job.suspended',
          resource: self,
          severity: 'info',
          confidence: 'high',
          vars: { job: name },
          evidence: [specEvidence(self, 'spec.suspend', 'true')],
          related: [self, owner],
        });
        continue;
      }
      const done = (j.status?.conditions ?? []).some(
        (c) => (c.type === 'Complete' || c.type === 'SuccessCriteriaMet') && c.status === 'True',
      );
      if ((j.status?.failed ?? 0) === 0 || done) continue;
      const failedCond = j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
      const ev = eventsWith(snap, self, 'Job', ['BackoffLimitExceeded', 'DeadlineExceeded'])[0];
      const pods = snap.objects.pod
        .filter(
          (p) =>
            p.metadata?.namespace === ns &&
            p.metadata?.ownerReferences?.some((o) => o.kind === 'Job' && o.name === name),
        )
        .sort((a, b) => (ms(b.metadata?.creationTimestamp) ?? 0) - (ms(a.metadata?.creationTimestamp) ?? 0));
      const failedPod = pods.find((p) => p.status?.phase === 'Failed') ?? pods[0];
      const cs =
        failedPod?.status?.containerStatuses?.find((s) => s.state?.terminated) ??
        failedPod?.status?.containerStatuses?.[0];
      const term = cs?.state?.terminated ?? cs?.lastState?.terminated;
      const evidence = [
        statusEvidence(self, 'status.failed', String(j.status?.failed ?? 0), {
          message: failedCond?.message ?? `backoffLimit ${j.spec?.backoffLimit ?? 6}`,
          at: iso(failedCond?.lastTransitionTime),
        }),
      ];
      if (ev) evidence.push(eventEvidence(ev, self));
      if (failedPod && term)
        evidence.push(
          statusEvidence(
            snap.ref('pod', ns, failedPod.metadata?.name ?? ''),
            `containerStatuses[${cs?.name ?? ''}].terminated`,
            term.reason ?? 'Error',
            {
              exitCode: term.exitCode,
            },
          ),
        );
      out.push({
        pattern: 'job.failed',
        resource: self,
        severity: failedCond ? 'critical' : 'warning',
        confidence: term ? 'high' : 'medium',
        vars: {
          job: name,
          failed: j.status?.failed ?? 0,
          reason: failedCond?.reason ?? ev?.reason ?? 'Failed',
          message: ev?.message ?? failedCond?.message ?? `Job ${name} has failed`,
          exitCode: term?.exitCode ?? '?',
        },
        evidence,
        related: [self, owner, ...pods.map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''))],
        ...(failedPod && cs
          ? { logs: { namespace: ns ?? '', pod: failedPod.metadata?.name ?? '', container: cs.name, previous: false } }
          : {}),
      });
    }
    return out;
  },
};

export const cronjobAnalyzer: Analyzer = {
  kind: 'cronjob',
  analyze(snap) {
    const out: Draft[] = [];
    for (const c of snap.objects.cronjob) {
      const ns = c.metadata?.namespace;
      const name = c.metadata?.name ?? '';
      const self = snap.ref('cronjob', ns, name);
      if (c.spec?.suspend)
        out.push({
          pattern: 'cronjob.suspended',
          resource: self,
          severity: 'info',
          confidence: 'high',
          vars: { cronjob: name },
          evidence: [specEvidence(self, 'spec.suspend', 'true')],
          related: [self],
        });
      const problem =
        cronProblem(c.spec?.schedule ?? '') ??
        ((c.spec?.startingDeadlineSeconds ?? 0) < 0
          ? `negative startingDeadlineSeconds ${c.spec?.startingDeadlineSeconds}`
          : undefined);
      if (problem)
        out.push({
          pattern: 'cronjob.invalid_schedule',
          resource: self,
          severity: 'warning',
          confidence: 'high',
          vars: { cronjob: name, schedule: c.spec?.schedule ?? '', problem },
          evidence: [specEvidence(self, 'spec.schedule', c.spec?.schedule ?? '')],
          related: [self],
        });
    }
    return out;
  },
};
