/** Check steps inside `steps`/`rollback`: a check that does not pass in its time fails the step. */

import { parseDuration } from '../../shared/duration.js';
import type { StepOutcome } from '../run-state.js';
import type { Check } from '../schema.js';
import { runCheck } from './check.js';
import type { StepContext, StepExecutor } from './context.js';

const DEFAULT_STEP_CHECK_MS = 5 * 60_000;

async function asStep(check: Check, ctx: StepContext): Promise<StepOutcome> {
  const timeout = check.timeout ? (parseDuration(check.timeout) ?? DEFAULT_STEP_CHECK_MS) : DEFAULT_STEP_CHECK_MS;
  const seen = await runCheck(
    ctx.deps,
    check,
    { cluster: ctx.run.plan.cluster, params: ctx.run.plan.params },
    timeout,
    ctx.signal,
  );
  switch (seen.result) {
    case 'pass':
      return { result: 'ok', summary: seen.detail };
    case 'fail':
      return { result: 'failed', message: seen.detail };
    case 'cannot_verify':
      return { result: 'failed', message: `cannot verify: ${seen.detail}` };
    default: {
      const never: never = seen.result;
      return { result: 'failed', message: String(never) };
    }
  }
}

export const checkPromqlStep: StepExecutor<'check_promql'> = (step, ctx) => asStep(step, ctx);
export const checkResourceStep: StepExecutor<'check_resource'> = (step, ctx) => asStep(step, ctx);
