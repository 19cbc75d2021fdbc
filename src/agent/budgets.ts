/**
 * The agent's budgets: steps (model calls), tool calls, tokens (from `usage`), a wall-clock deadline and the size
 * of one tool output handed to the model. Defaults come from config (`agent.max_steps`, …); a profile may lower
 * them for itself (a delegated K8s or Monitor agent has its own, smaller budget).
 */
import { z } from 'zod';

export const BudgetsSchema = z.object({
  maxSteps: z.number().int().min(1),
  maxToolCalls: z.number().int().min(0),
  maxTokens: z.number().int().min(1),
  deadlineMs: z.number().int().min(1),
  maxToolOutputChars: z.number().int().min(200),
});
export type Budgets = z.infer<typeof BudgetsSchema>;

export const DEFAULT_BUDGETS: Budgets = {
  maxSteps: 10,
  maxToolCalls: 24,
  maxTokens: 120_000,
  deadlineMs: 180_000,
  maxToolOutputChars: 8_000,
};

export const BUDGET_NAMES = ['steps', 'tool_calls', 'tokens', 'deadline', 'loop'] as const;
export const BudgetNameSchema = z.enum(BUDGET_NAMES);
export type BudgetName = z.infer<typeof BudgetNameSchema>;

/** The smaller of each budget: a profile never raises the configured ceiling. */
export function narrow(ceiling: Budgets, profile: Partial<Budgets>): Budgets {
  const pick = (k: keyof Budgets) => Math.min(ceiling[k], profile[k] ?? ceiling[k]);
  return {
    maxSteps: pick('maxSteps'),
    maxToolCalls: pick('maxToolCalls'),
    maxTokens: pick('maxTokens'),
    deadlineMs: pick('deadlineMs'),
    maxToolOutputChars: pick('maxToolOutputChars'),
  };
}

/** The configured ceiling (`agent.*` in the YAML file). */
export function budgetsFromConfig(agent: {
  max_steps: number;
  max_tool_calls: number;
  max_tokens: number;
  deadline: number;
  max_tool_output: number;
}): Budgets {
  return {
    maxSteps: agent.max_steps,
    maxToolCalls: agent.max_tool_calls,
    maxTokens: agent.max_tokens,
    deadlineMs: agent.deadline,
    maxToolOutputChars: agent.max_tool_output,
  };
}
