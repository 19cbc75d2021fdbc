/** A wait step: the engine's clock, so a test moves it; a stop leaves the step to be repeated on resume. */
import { parseDuration } from '../../shared/duration.js';
import { type StepExecutor, sleep } from './context.js';

export const waitStep: StepExecutor<'wait'> = async (step, ctx) => {
  const ms = parseDuration(step.for) ?? 0;
  await sleep(ctx.deps, ms, ctx.signal);
  return { result: 'ok', summary: `waited ${step.for}` };
};
