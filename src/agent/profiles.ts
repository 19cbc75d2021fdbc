/**
 * Agent profiles: `prompts/agents/<name>.md`, a YAML front matter (role, toolset, delegates, budgets) over the
 * system prompt. One loop runs every LLM profile; `autofix` is the runbook engine (deterministic, no model),
 * described by a profile so the team reads in one place. `validatePrompts` checks every prompt file: the front
 * matter, the toolset against the tools that exist, the delegates, and a render with the loop's variables.
 */
import * as yaml from 'js-yaml';
import { z } from 'zod';
import { describeError } from '../shared/errors.js';
import type { BudgetsSchema } from './budgets.js';
import { type PromptSet, promptVariables } from './prompts.js';
import { matchesGlob } from './tool-specs.js';

export const PROFILE_NAMES = ['incident', 'k8s', 'monitor', 'autofix'] as const;

const BudgetsFront = z
  .strictObject({
    max_steps: z.number().int().min(1).optional(),
    max_tool_calls: z.number().int().min(0).optional(),
    max_tokens: z.number().int().min(1).optional(),
    deadline_s: z.number().int().min(1).optional(),
    max_tool_output: z.number().int().min(200).optional(),
  })
  .default({});

export const ProfileFrontSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  role: z.string().min(1),
  /** `llm`: run by the agent loop; `runbooks`: the deterministic runbook engine. */
  engine: z.enum(['llm', 'runbooks']).default('llm'),
  /** What a delegating agent is told this one does (its tool description). */
  description: z.string().min(1),
  tools: z.array(z.string().min(1)).default([]),
  delegates: z.array(z.string()).default([]),
  /** Whether it may propose runbooks (Run buttons). */
  propose_runbooks: z.boolean().default(false),
  budgets: BudgetsFront,
});

export interface Profile {
  name: string;
  role: string;
  engine: 'llm' | 'runbooks';
  description: string;
  tools: string[];
  delegates: string[];
  proposeRunbooks: boolean;
  budgets: Partial<z.infer<typeof BudgetsSchema>>;
  prompt: string;
}

/** Variables the loop supplies to every profile prompt. */
export const PROFILE_VARS = ['role', 'language', 'now'] as const;

/** Variables of the task prompts (not profiles), by file. */
export const TASK_VARS: Readonly<Record<string, readonly string[]>> = {
  budget_end: ['budget'],
  resume: ['outcome'],
  investigate: ['incident'],
};

export function loadProfile(set: PromptSet, name: string): Profile {
  const file = set.file(`agents/${name}`);
  let front: unknown;
  try {
    front = yaml.load(file.front);
  } catch (err) {
    throw new Error(`prompt agents/${name}: front matter is not YAML: ${describeError(err)}`);
  }
  const r = ProfileFrontSchema.safeParse(front);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`prompt agents/${name}: ${i?.path.join('.') || 'front matter'}: ${i?.message ?? 'invalid'}`);
  }
  const f = r.data;
  const b = f.budgets;
  return {
    name: f.name,
    role: f.role,
    engine: f.engine,
    description: f.description,
    tools: f.tools,
    delegates: f.delegates,
    proposeRunbooks: f.propose_runbooks,
    budgets: {
      ...(b.max_steps !== undefined ? { maxSteps: b.max_steps } : {}),
      ...(b.max_tool_calls !== undefined ? { maxToolCalls: b.max_tool_calls } : {}),
      ...(b.max_tokens !== undefined ? { maxTokens: b.max_tokens } : {}),
      ...(b.deadline_s !== undefined ? { deadlineMs: b.deadline_s * 1000 } : {}),
      ...(b.max_tool_output !== undefined ? { maxToolOutputChars: b.max_tool_output } : {}),
    },
    prompt: `agents/${name}`,
  };
}

/** Every problem with the prompts folder, each naming its file; `toolNames` are the tools that exist. */
export function validatePrompts(set: PromptSet, toolNames: readonly string[]): { count: number; problems: string[] } {
  const problems: string[] = [];
  const names = set.names();
  for (const n of PROFILE_NAMES) if (!names.includes(`agents/${n}`)) problems.push(`prompt agents/${n}: missing`);
  for (const name of names) {
    if (name.startsWith('_')) continue;
    try {
      if (name.startsWith('agents/')) {
        const p = loadProfile(set, name.slice('agents/'.length));
        if (`agents/${p.name}` !== name) problems.push(`prompt ${name}: front matter name is ${p.name}`);
        for (const g of p.tools) {
          if (!toolNames.some((t) => matchesGlob(g, t))) problems.push(`prompt ${name}: tool ${g} matches no tool`);
        }
        for (const d of p.delegates) {
          if (!names.includes(`agents/${d}`)) problems.push(`prompt ${name}: delegate ${d} has no profile`);
        }
      }
      const allowed: readonly string[] = name.startsWith('agents/') ? PROFILE_VARS : (TASK_VARS[name] ?? []);
      for (const v of promptVariables(set, name)) {
        if (!allowed.includes(v)) problems.push(`prompt ${name}: unknown variable {{${v}}}`);
      }
    } catch (err) {
      problems.push(describeError(err));
    }
  }
  return { count: names.length, problems };
}
