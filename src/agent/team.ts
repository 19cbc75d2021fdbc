/**
 * The agent team: profiles loaded from `prompts/agents/`, each run by the same loop with its own toolset and
 * budgets (narrowed under the configured ceiling). The Incident agent's delegates (K8s, Monitor) are tools to it:
 * a delegated question starts a fresh run of that profile — its own messages, budgets and tools, no delegation
 * and no proposals of its own — and comes back as a short summary.
 */
import type { Actor } from '../access/actor.js';
import type { Clock } from '../ports/clock.js';
import type { LlmPort } from '../ports/llm.js';
import type { RunbookLauncher, RunbookSummary } from '../ports/remediation.js';
import type { ToolHost } from '../ports/tools.js';
import type { Translate } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import { type Budgets, narrow } from './budgets.js';
import { runAgent } from './loop.js';
import type { DelegateResult, LoopDeps } from './loop-deps.js';
import { loadProfile, type Profile } from './profiles.js';
import type { PromptSet } from './prompts.js';
import { newRunState, type RunState } from './run-state.js';
import { buildToolset } from './tool-specs.js';

export interface TeamDeps {
  llm: LlmPort;
  tools?: ToolHost | undefined;
  prompts: PromptSet;
  clock: Clock;
  log: Logger;
  t: Translate;
  /** The configured ceiling (`agent.max_steps`, …). */
  budgets: Budgets;
  launcher?: RunbookLauncher | undefined;
  /** The runbooks to propose from when no launcher is wired. */
  catalogue?: (() => readonly RunbookSummary[]) | undefined;
  locale: 'zh-CN' | 'en-US';
  newId: () => string;
}

export interface RunContext {
  requester: Actor;
  signal?: AbortSignal | undefined;
  onProgress?: ((line: string) => void) | undefined;
  persist?: ((state: RunState) => void) | undefined;
}

export class Team {
  private readonly profiles = new Map<string, Profile>();

  constructor(private readonly deps: TeamDeps) {}

  profile(name: string): Profile {
    let p = this.profiles.get(name);
    if (!p) {
      p = loadProfile(this.deps.prompts, name);
      this.profiles.set(name, p);
    }
    return p;
  }

  /** The system prompt of a profile, rendered. */
  systemPrompt(name: string): string {
    const p = this.profile(name);
    return this.deps.prompts.render(p.prompt, {
      role: p.role,
      language: this.deps.locale === 'zh-CN' ? 'Simplified Chinese (简体中文)' : 'English',
      now: new Date(this.deps.clock.now()).toISOString(),
    });
  }

  budgetsOf(name: string): Budgets {
    return narrow(this.deps.budgets, this.profile(name).budgets);
  }

  /** The loop's dependencies for one run of `name`. */
  loopDeps(name: string, ctx: RunContext, depth = 0): LoopDeps {
    const p = this.profile(name);
    if (p.engine !== 'llm') throw new Error(`profile ${name} is run by the ${p.engine} engine, not the agent loop`);
    const delegates =
      depth === 0 ? p.delegates.map((d) => ({ name: d, description: this.profile(d).description })) : [];
    const catalogue =
      p.proposeRunbooks && depth === 0
        ? (this.deps.launcher?.catalogue() ?? this.deps.catalogue?.() ?? [])
            .map(
              (r) =>
                `- ${r.id} (${r.risk}): ${r.title}; params: ${r.params.map((x) => `${x.name}${x.required ? '' : '?'}`).join(', ')}`,
            )
            .join('\n')
        : '';
    const toolset = buildToolset(this.deps.tools?.list() ?? [], p.tools, delegates, catalogue);
    return {
      llm: this.deps.llm,
      tools: this.deps.tools,
      prompts: this.deps.prompts,
      clock: this.deps.clock,
      log: this.deps.log,
      t: this.deps.t,
      budgets: this.budgetsOf(name),
      toolset,
      caller: { kind: 'llm', person: ctx.requester.openId },
      requester: ctx.requester,
      signal: ctx.signal,
      launcher: depth === 0 ? this.deps.launcher : undefined,
      catalogue: () => this.deps.launcher?.catalogue() ?? this.deps.catalogue?.() ?? [],
      delegate: depth === 0 ? (profile, question) => this.delegate(profile, question, ctx) : undefined,
      onProgress: ctx.onProgress,
      persist: depth === 0 ? ctx.persist : undefined,
    };
  }

  private async delegate(profile: string, question: string, ctx: RunContext): Promise<DelegateResult> {
    const deps = this.loopDeps(
      profile,
      { requester: ctx.requester, signal: ctx.signal, onProgress: ctx.onProgress },
      1,
    );
    const state = newRunState({
      runId: this.deps.newId(),
      kind: 'conversation',
      profile,
      chatId: '',
      threadKey: '',
      requestedBy: ctx.requester.openId,
      messages: [
        { role: 'system', content: this.systemPrompt(profile) },
        { role: 'user', content: question },
      ],
      now: this.deps.clock.now(),
    });
    const { next } = await runAgent(state, deps);
    const summary =
      next.type === 'final'
        ? next.answer
        : next.type === 'budget_exhausted' || next.type === 'failed'
          ? next.partial
          : '';
    return {
      summary: summary.length > 3000 ? `${summary.slice(0, 3000)}…` : summary,
      tokens: state.counters.tokens,
      toolCalls: state.counters.toolCalls,
      steps: state.counters.steps,
    };
  }
}
