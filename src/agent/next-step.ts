/**
 * What the loop does after a turn, as one discriminated union (openai-agents-js's `nextStep`): answer, go round
 * again, stop for approvals (the run is persisted and resumed by the decision), or end a budget with a partial
 * answer. A model endpoint that fails also ends with a partial answer — never an error to the person.
 */
import { z } from 'zod';
import { BudgetNameSchema } from './budgets.js';

export const NextStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('final'), answer: z.string() }),
  z.object({ type: z.literal('run_again') }),
  z.object({
    type: z.literal('interrupted'),
    approvals: z.array(z.object({ callId: z.string(), approvalId: z.string() })),
    message: z.string(),
  }),
  z.object({ type: z.literal('budget_exhausted'), budget: BudgetNameSchema, partial: z.string() }),
  z.object({ type: z.literal('failed'), reason: z.string(), partial: z.string() }),
]);
export type NextStep = z.infer<typeof NextStepSchema>;
export type NextStepOf<T extends NextStep['type']> = Extract<NextStep, { type: T }>;

/** Whether the run is over (anything but `run_again` and `interrupted`). */
export function isTerminal(step: NextStep): boolean {
  switch (step.type) {
    case 'final':
    case 'budget_exhausted':
    case 'failed':
      return true;
    case 'run_again':
    case 'interrupted':
      return false;
    default: {
      const never: never = step;
      return never;
    }
  }
}
