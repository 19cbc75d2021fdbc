/** One executor per step type: a step type without one is a type error here. */
import type { StepOutcome } from '../run-state.js';
import type { Step, StepType } from '../schema.js';
import { checkPromqlStep, checkResourceStep } from './checks.js';
import type { StepContext, StepExecutor } from './context.js';
import { notifyStep } from './notify.js';
import { toolStep } from './tool.js';
import { waitStep } from './wait.js';

export const EXECUTORS: { [T in StepType]: StepExecutor<T> } = {
  tool: toolStep,
  wait: waitStep,
  check_promql: checkPromqlStep,
  check_resource: checkResourceStep,
  notify: notifyStep,
};

export function executeStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  const run = EXECUTORS[step.type] as StepExecutor<typeof step.type>;
  return run(step as never, ctx);
}

export type { StepContext } from './context.js';
