/**
 * Checks, for steps, preconditions and the verification alike: a PromQL expression (every series must satisfy
 * the comparison; an empty result is what `on_no_data` says) or a resource condition, observed until it passes
 * or its time is up. The result is `pass`, `fail` or `cannot_verify` — Prometheus not configured or not
 * answering, the cluster not readable — and the last observation says what was seen.
 */
import { parseDuration } from '../../shared/duration.js';
import { type Observation, observe, type RestartMemo } from '../conditions.js';
import type { RunDeps } from '../deps.js';
import type { Check } from '../schema.js';
import { type ParamValues, renderTemplate } from '../template.js';
import { sleep } from './context.js';

const DEFAULT_POLL_MS = 5_000;

export interface CheckScope {
  cluster: string | null;
  params: ParamValues;
}

/** Observes `check` until it passes or `timeoutMs` is over (0: once). */
export async function runCheck(
  deps: RunDeps,
  check: Check,
  scope: CheckScope,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Observation> {
  const deadline = deps.clock.now() + timeoutMs;
  const memo: RestartMemo = {};
  for (;;) {
    const seen = await observeOnce(deps, check, scope, memo);
    if (seen.result === 'pass') return seen;
    if (deps.clock.now() >= deadline) return seen;
    await sleep(deps, Math.min(deps.pollMs ?? DEFAULT_POLL_MS, Math.max(1, deadline - deps.clock.now())), signal);
  }
}

async function observeOnce(deps: RunDeps, check: Check, scope: CheckScope, memo: RestartMemo): Promise<Observation> {
  switch (check.type) {
    case 'check_promql':
      return promql(deps, check, scope);
    case 'check_resource': {
      if (!deps.reader) return { result: 'cannot_verify', detail: 'no cluster is configured to read from' };
      const ref = renderTemplate(check.ref, scope.params) as { name: string; namespace?: string };
      return observe(
        deps.reader,
        check.condition,
        {
          cluster: scope.cluster ?? deps.reader.defaultCluster,
          kind: check.ref.kind,
          namespace: ref.namespace,
          name: ref.name,
        },
        { now: deps.clock.now(), stableForMs: parseDuration(check.stable_for ?? '0s') ?? 0, memo },
      );
    }
    default: {
      const never: never = check;
      return { result: 'cannot_verify', detail: `unknown check ${JSON.stringify(never)}` };
    }
  }
}

const OPS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '==': (a: number, b: number) => a === b,
  '!=': (a: number, b: number) => a !== b,
} as const;

async function promql(
  deps: RunDeps,
  check: Extract<Check, { type: 'check_promql' }>,
  scope: CheckScope,
): Promise<Observation> {
  if (!deps.metrics) return { result: 'cannot_verify', detail: 'Prometheus is not configured (PROMETHEUS_URL)' };
  const query = renderTemplate(check.query, scope.params) as string;
  const expect = Number(
    typeof check.expect.value === 'number' ? check.expect.value : renderTemplate(check.expect.value, scope.params),
  );
  let samples: Awaited<ReturnType<NonNullable<RunDeps['metrics']>['instant']>>;
  try {
    samples = await deps.metrics.instant(query);
  } catch (err) {
    return { result: 'cannot_verify', detail: `Prometheus did not answer ${query}: ${(err as Error).message}` };
  }
  if (samples.length === 0) {
    const detail = `${query} returned no series`;
    switch (check.on_no_data) {
      case 'pass':
        return { result: 'pass', detail };
      case 'fail':
        return { result: 'fail', detail };
      default:
        return { result: 'cannot_verify', detail };
    }
  }
  const ok = OPS[check.expect.op];
  const bad = samples.filter((s) => !ok(s.value, expect));
  const cond = `${check.expect.op} ${expect}`;
  if (bad.length === 0) return { result: 'pass', detail: `${query}: every series ${cond}` };
  const shown = bad
    .slice(0, 3)
    .map((s) => `${s.value}`)
    .join(', ');
  return { result: 'fail', detail: `${query}: ${bad.length} series not ${cond} (${shown})` };
}
