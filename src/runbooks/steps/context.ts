/** What a step executor is given: the run, where the step sits, the engine's ports and the stop signal. */

import type { RunDeps } from '../deps.js';
import type { LoadedRun } from '../run-record.js';
import type { StepOutcome } from '../run-state.js';
import type { StepOf, StepType } from '../schema.js';

export interface StepContext {
  deps: RunDeps;
  run: LoadedRun;
  section: 'steps' | 'rollback';
  index: number;
  signal: AbortSignal;
}

export type StepExecutor<T extends StepType> = (step: StepOf<T>, ctx: StepContext) => Promise<StepOutcome>;

/** Waits `ms` on the engine's clock; rejects when the signal aborts (the step is then left to be repeated). */
export function sleep(deps: Pick<RunDeps, 'clock'>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error('stopped'));
    const onAbort = () => {
      deps.clock.clearTimeout(handle);
      reject(signal.reason ?? new Error('stopped'));
    };
    const handle = deps.clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
