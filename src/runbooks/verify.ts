/**
 * The verification of a run: its checks in order, each until it passes or its own timeout (by default, the
 * time left of the verification's), stopping at the first that does not pass. Passed only when every check
 * passed; a check that could not be observed makes the whole "cannot verify" — never success.
 */
import { parseDuration } from '../shared/duration.js';
import type { RunDeps } from './deps.js';
import type { LoadedRun } from './run-record.js';
import type { RunEvent } from './run-state.js';
import { runCheck } from './steps/check.js';

export async function verifyRun(deps: RunDeps, run: LoadedRun, signal: AbortSignal): Promise<RunEvent> {
  const v = run.runbook.verification;
  const deadline = deps.clock.now() + (parseDuration(v.timeout) ?? 0);
  const passed: string[] = [];
  for (const check of v.checks) {
    const left = Math.max(0, deadline - deps.clock.now());
    const own = check.timeout ? (parseDuration(check.timeout) ?? left) : left;
    const seen = await runCheck(
      deps,
      check,
      { cluster: run.plan.cluster, params: run.plan.params },
      Math.min(own, left),
      signal,
    );
    const at = deps.clock.now();
    if (seen.result === 'fail') return { type: 'verification_failed', detail: `${check.id}: ${seen.detail}`, at };
    if (seen.result === 'cannot_verify') return { type: 'cannot_verify', reason: `${check.id}: ${seen.detail}`, at };
    passed.push(`${check.id}: ${seen.detail}`);
  }
  return { type: 'verification_passed', detail: passed.join('; '), at: deps.clock.now() };
}
