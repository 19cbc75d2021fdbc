/**
 * What the investigator, the conversation handler and the approval listener share: the team, memory, the store
 * of run states, and `execute` — run (or resume) a run in the background with its card kept up to date, then
 * record the outcome (timeline, memory). Background work is tracked so `idle()` and shutdown can wait for it.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import type { AppContext } from '../app/context.js';
import type { Diagnosis } from '../diagnosis/finding.js';
import type { Scope } from '../diagnosis/scope.js';
import type { RunbookLauncher, RunbookSummary } from '../ports/remediation.js';
import { describeError } from '../shared/errors.js';
import { type Translate, translator } from '../shared/i18n.js';
import { parseAnswer } from './answer.js';
import type { Budgets } from './budgets.js';
import type { AgentCardPublisher } from './card-publisher.js';
import { catalogueFromFiles } from './catalogue.js';
import type { RunOutcome } from './loop.js';
import { ConversationMemory } from './memory.js';
import { isTerminal } from './next-step.js';
import { PromptSet } from './prompts.js';
import type { RunState } from './run-state.js';
import { answerOf, runCard } from './run-view.js';
import { evidenceSummary } from './steps/partial-answer.js';
import { Team } from './team.js';

export interface AgentOptions {
  ctx: AppContext;
  /** The runbook engine's launcher (absent: writes are refused and recorded, proposals still become buttons). */
  launcher?: RunbookLauncher | undefined;
  /** The diagnosis engine over the configured cluster (the no-LLM answer). */
  diagnose?: ((scope: Scope) => Promise<Diagnosis>) | undefined;
  budgets: Budgets;
  /** Runbooks to propose from when no launcher is wired (default: the runbooks folder). */
  catalogue?: () => readonly RunbookSummary[];
  /** Memory window of a conversation, in tokens. */
  memoryTokens?: number;
  prompts?: PromptSet;
  newId?: () => string;
}

export class AgentRuntime {
  readonly t: Translate;
  readonly team: Team | undefined;
  readonly memory: ConversationMemory;
  readonly prompts: PromptSet;
  private readonly work = new Set<Promise<unknown>>();
  readonly newId: () => string;

  constructor(readonly o: AgentOptions) {
    const { ctx } = o;
    this.t = translator(ctx.config.locale);
    this.prompts = o.prompts ?? new PromptSet();
    this.newId = o.newId ?? (() => `ar_${randomUUID().replace(/-/g, '').slice(0, 20)}`);
    this.memory = new ConversationMemory(ctx.store.conversations, o.memoryTokens ?? 6000);
    this.team = ctx.llm
      ? new Team({
          llm: ctx.llm,
          tools: ctx.tools,
          prompts: this.prompts,
          clock: ctx.clock,
          log: ctx.log,
          t: this.t,
          budgets: o.budgets,
          launcher: o.launcher,
          catalogue: o.catalogue ?? onceCatalogue(ctx.config.locale),
          locale: ctx.config.locale,
          newId: this.newId,
        })
      : undefined;
  }

  get model(): string {
    return this.o.ctx.config.llm?.model ?? 'llm';
  }

  persist(conversationId: number, state: RunState): void {
    this.o.ctx.store.conversations.saveRun(conversationId, state.runId, state, this.o.ctx.clock.now());
  }

  /** Runs `work` in the background, logging (never throwing) its failure. */
  track(label: string, work: () => Promise<unknown>): void {
    const p = work()
      .catch((err) => this.o.ctx.log.error({ err: describeError(err) }, `agent: ${label} failed`))
      .finally(() => this.work.delete(p));
    this.work.add(p);
  }

  /** Resolves once no background run is in flight. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  /**
   * Runs `start` (a new run or a resume) with the card following its progress, then records the outcome:
   * the card's final state, the incident's timeline, and the thread's memory.
   */
  async execute(
    state: RunState,
    conversationId: number,
    publisher: AgentCardPublisher,
    requester: Actor,
    start: (deps: ReturnType<Team['loopDeps']>) => Promise<RunOutcome | undefined>,
    question?: { author: string; text: string },
  ): Promise<void> {
    const { ctx } = this.o;
    const team = this.team;
    if (!team) return;
    const show = (s: RunState, next?: Parameters<typeof runCard>[1], force = false) =>
      publisher.show(runCard(s, next, { t: this.t, now: ctx.clock.now(), model: this.model }), force);
    // The first progress update goes out before anything slow (tool catalogue, runbooks, the model).
    if (state.status === 'running' && state.counters.steps === 0) show(state, undefined, true);
    const deps = team.loopDeps(state.profile, {
      requester,
      onProgress: (line) => {
        state.progress = [...state.progress, line].slice(-8);
        show(state);
      },
      persist: (s) => this.persist(conversationId, s),
    });
    let outcome: RunOutcome | undefined;
    try {
      outcome = await start(deps);
    } catch (err) {
      // A bug or a broken dependency: the person sees what was found and why it stopped, not a spinner forever.
      const reason = describeError(err);
      ctx.log.error({ err: reason, runId: state.runId }, 'agent: run failed');
      state.status = 'done';
      this.persist(conversationId, state);
      outcome = { state, next: { type: 'failed', reason, partial: evidenceSummary(state, 'model', deps, reason) } };
    }
    if (!outcome) return;
    show(outcome.state, outcome.next, true);
    const answer = answerOf(outcome.next);
    if (state.incidentId !== undefined && isTerminal(outcome.next)) {
      const parsed = parseAnswer(answer);
      const summary = (parsed.rootCause || answer).split('\n').find((l) => l.trim() !== '') ?? '';
      ctx.store.tx(() =>
        ctx.store.timeline.add(
          state.incidentId as number,
          { kind: 'investigated', detail: { summary: summary.slice(0, 500), conversationId } },
          'llm',
          ctx.clock.now(),
        ),
      );
    }
    if (isTerminal(outcome.next) || outcome.next.type === 'interrupted') {
      const notes = outcome.state.evidence.slice(-6).map((e) => `${e.tool} ${JSON.stringify(e.args)}: ${e.excerpt}`);
      this.memory.remember(
        conversationId,
        question ?? { author: state.requestedBy, text: 'Investigate this incident.' },
        notes,
        answer,
        ctx.clock.now(),
      );
    }
  }
}

function onceCatalogue(locale: 'zh-CN' | 'en-US'): () => readonly RunbookSummary[] {
  let cached: readonly RunbookSummary[] | undefined;
  return () => {
    cached ??= catalogueFromFiles(locale);
    return cached;
  };
}
