/**
 * Diagnosis of an incident, from the Investigate button or automatically when an incident of a priority in
 * `diagnosis.auto` opens: the engine's findings posted as a diagnosis card in the incident card's thread (with a
 * Run button per suggested runbook, carrying the incident), a typed `diagnosed` timeline entry, and the incident
 * card patched to show the top cause. After a click, the findings are handed to the `Investigator` (the LLM
 * agent) when there is one; otherwise the card says what deeper analysis needs.
 *
 * One diagnosis per click burst: a click while one runs, or within `burstMs` of the last one (read from the
 * timeline, so it holds across restarts), answers with a toast and starts nothing. Work runs off the click and off
 * the alert intake; `onDiagnosed` (and the `timeline.added` domain event with kind `diagnosed`) tell followers —
 * such as an auto-fix — that findings are recorded.
 */
import type { Actor } from '../access/actor.js';
import type { Router } from '../app/router.js';
import { renderDiagnosisCard } from '../cards/diagnosis.js';
import { renderIncidentCard } from '../cards/incident.js';
import { type DiagnosisSources, diagnose } from '../diagnosis/engine.js';
import type { Diagnosis } from '../diagnosis/finding.js';
import { incidentScope } from '../diagnosis/scope.js';
import type { CardJson } from '../ports/feishu.js';
import type { Investigator } from '../ports/remediation.js';
import { hasEvent } from '../shared/domain-events.js';
import { formatDuration } from '../shared/duration.js';
import { describeError } from '../shared/errors.js';
import { guardIncidentAction } from './authorize-click.js';
import { incidentView } from './card-view.js';
import type { IncidentDeps } from './context.js';
import { type Incident, SYSTEM } from './model.js';
import { cardOptions, incidentCardMessageId, liveCardKey, publishIncident } from './publish.js';

export type DiagnosisTrigger = 'button' | 'command' | 'auto';

export interface DiagnosedEvent {
  incidentId: number;
  trigger: DiagnosisTrigger;
  diagnosis: Diagnosis;
  /** The `diagnosed` timeline entry. */
  entryId: number;
}

export interface InvestigateDeps {
  incidents: IncidentDeps;
  /** The cluster (and Prometheus) to read; undefined when no cluster is configured. */
  sources: DiagnosisSources | undefined;
  investigator?: Investigator | undefined;
  /** Whether an LLM is configured (for what the card says when there is no investigator). */
  llmConfigured: boolean;
  /** Told once each diagnosis is recorded and posted (e.g. the runbook engine's auto-fix). */
  onDiagnosed?: (e: DiagnosedEvent) => void;
  /** Clicks within this long of the last diagnosis are the same burst [30 s]. */
  burstMs?: number;
  /** How long to wait for the incident card to be sent before posting in the chat instead [60 s]. */
  cardWaitMs?: number;
  /** Diagnoses reading the cluster at once; more wait their turn (an alert storm opens many incidents) [2]. */
  concurrency?: number;
}

export type RequestOutcome =
  | { status: 'started' }
  | { status: 'busy' }
  | { status: 'recent'; at: number }
  | { status: 'unavailable' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref?.());

/**
 * Records a diagnosis of an incident: the typed `diagnosed` timeline entry (top findings with their runbooks)
 * and the incident card patched to show the top cause, in one transaction.
 */
export function recordDiagnosis(
  deps: IncidentDeps,
  incidentId: number,
  d: Diagnosis,
  trigger: DiagnosisTrigger,
  actor: Actor | undefined,
): { id: number } {
  return deps.store.tx(() => {
    const e = deps.store.timeline.add(
      incidentId,
      {
        kind: 'diagnosed',
        detail: {
          findings: d.findings.slice(0, 10).map((f) => ({
            pattern: f.pattern,
            resource: f.resource,
            cause: f.cause,
            title: f.title,
            severity: f.severity,
            runbooks: f.runbooks,
          })),
          verdict: d.verdict,
          trigger,
          durationMs: d.durationMs,
        },
      },
      actor?.openId || SYSTEM,
      deps.clock.now(),
    );
    const fresh = deps.store.incidents.get(incidentId);
    if (fresh) publishIncident(deps, fresh);
    return e;
  });
}

export class IncidentDiagnoser {
  private readonly running = new Map<number, Promise<void>>();
  /** Clicks within this long of the last diagnosis are the same burst. */
  readonly burstMs: number;

  constructor(private readonly deps: InvestigateDeps) {
    this.burstMs = deps.burstMs ?? 30_000;
  }

  /** Starts one diagnosis of the incident in the background, unless one runs or just ran. */
  request(incidentId: number, trigger: DiagnosisTrigger, actor?: Actor): RequestOutcome {
    if (!this.deps.sources || this.stopped) return { status: 'unavailable' };
    if (this.running.has(incidentId)) return { status: 'busy' };
    const last = this.deps.incidents.store.timeline.latest(incidentId, 'diagnosed');
    const now = this.deps.incidents.clock.now();
    if (last && now - last.at < this.burstMs) return { status: 'recent', at: last.at };
    const work = this.run(incidentId, trigger, actor)
      .catch((err) => this.deps.incidents.log.error({ err, incidentId }, 'incident diagnosis failed'))
      .finally(() => this.running.delete(incidentId));
    this.running.set(incidentId, work);
    return { status: 'started' };
  }

  private stopped = false;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** Runs `fn` when fewer than `concurrency` diagnoses are reading the cluster. */
  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= (this.deps.concurrency ?? 2)) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** Resolves once every diagnosis started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Starts nothing more, stops waiting for cards to be sent, and lets running diagnoses finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /**
   * Diagnoses new incidents of the `diagnosis.auto` priorities as they open (and an undiagnosed incident whose
   * priority rises into them); returns the unsubscribe.
   */
  startAuto(): () => void {
    const { store, config } = this.deps.incidents;
    const auto = new Set(config.file.diagnosis.auto);
    if (auto.size === 0 || !this.deps.sources) return () => {};
    return store.bus.subscribe((events) => {
      if (!hasEvent(events, 'incident.opened', 'timeline.added')) return;
      for (const e of events) {
        // New incidents, and ones whose priority rose into the set (never diagnosed before).
        const raised = e.type === 'timeline.added' && e.kind === 'priority_raised';
        if (e.type !== 'incident.opened' && !raised) continue;
        const inc = store.incidents.get(e.incidentId);
        if (!inc || !auto.has(inc.priority) || inc.status === 'resolved') continue;
        if (raised && store.timeline.latest(inc.id, 'diagnosed')) continue;
        this.request(inc.id, 'auto');
      }
    });
  }

  private async run(incidentId: number, trigger: DiagnosisTrigger, actor: Actor | undefined): Promise<void> {
    const deps = this.deps.incidents;
    const sources = this.deps.sources;
    const inc = deps.store.incidents.get(incidentId);
    if (!inc || !sources) return;
    let d: Diagnosis;
    try {
      d = await this.limited(() => diagnose(incidentScope(inc), { ...sources, clock: deps.clock, t: deps.t }));
    } catch (err) {
      await this.post(
        inc,
        { text: deps.t('investigate.failed', { id: inc.id, reason: describeError(err) }) },
        'failed',
      );
      return;
    }
    const entry = recordDiagnosis(deps, inc.id, d, trigger, actor);
    const handOff = trigger === 'button' && this.deps.investigator !== undefined && actor !== undefined;
    const note =
      trigger === 'auto'
        ? undefined
        : handOff
          ? deps.t('diagnose.note.handedOff')
          : this.deps.llmConfigured
            ? deps.t('diagnose.note.noInvestigator')
            : deps.t('diagnose.note.noLlm');
    const card = renderDiagnosisCard(d, deps.t, { incidentId: inc.id, ...(note ? { note } : {}) });
    const replyTo = await this.post(inc, { card }, String(entry.id));
    deps.log.info(
      { incidentId: inc.id, trigger, verdict: d.verdict, findings: d.findings.length },
      'incident diagnosed',
    );
    this.deps.onDiagnosed?.({ incidentId: inc.id, trigger, diagnosis: d, entryId: entry.id });
    if (handOff && this.deps.investigator && actor && inc.chatId) {
      try {
        await this.deps.investigator.investigate({
          incidentId: inc.id,
          chatId: inc.chatId,
          ...(replyTo ? { replyTo } : {}),
          findings: d.findings,
          actor,
        });
      } catch (err) {
        await this.post(
          inc,
          { text: deps.t('diagnose.note.handoffFailed', { reason: describeError(err) }) },
          'handoff',
        );
      }
    }
  }

  /**
   * Posts in the incident card's thread (waiting a little for the card to be sent), else in the incident's chat.
   * Returns the message replied to, when there is one.
   */
  private async post(
    inc: Incident,
    what: { card: CardJson } | { text: string },
    tag: string,
  ): Promise<string | undefined> {
    const deps = this.deps.incidents;
    // An incident without a card (P3: recorded only) keeps its diagnosis on the timeline, not in the chat.
    if (!inc.chatId || !liveCardKey(deps.store, inc)) return undefined;
    const waitUntil = Date.now() + (this.deps.cardWaitMs ?? 60_000);
    let messageId = incidentCardMessageId(deps.store, inc.id);
    while (!messageId && Date.now() < waitUntil && !this.stopped) {
      await sleep(200);
      messageId = incidentCardMessageId(deps.store, inc.id);
    }
    const now = deps.clock.now();
    const dedupeKey = `diagnosis:${inc.id}:${tag}`;
    if (messageId) {
      const content = 'card' in what ? JSON.stringify(what.card) : JSON.stringify({ text: what.text });
      const msgType = 'card' in what ? ('interactive' as const) : ('text' as const);
      deps.store.outbox.enqueueMessage(
        { kind: 'reply', chatId: inc.chatId, messageId, msgType, content, inThread: true },
        now,
        { dedupeKey },
      );
      return messageId;
    }
    if ('card' in what)
      deps.store.outbox.enqueueMessage(
        { kind: 'send_card', chatId: inc.chatId, cardKey: dedupeKey, card: what.card },
        now,
        { dedupeKey },
      );
    else
      deps.store.outbox.enqueueMessage({ kind: 'send_text', chatId: inc.chatId, text: what.text }, now, { dedupeKey });
    return undefined;
  }
}

/** The Investigate button: checked like every incident button, answered at once, the work in the background. */
export function registerInvestigate(router: Router, diagnoser: IncidentDiagnoser, deps: IncidentDeps): void {
  router.onCardAction(
    'investigate',
    guardIncidentAction(deps, 'diagnose', async ({ action, ctx }) => {
      const { t } = ctx;
      const id = action.incidentId;
      const inc = deps.store.incidents.get(id);
      if (!inc) return { toast: { type: 'error', content: t('incident.toast.notFound', { id }) } };
      const card = renderIncidentCard(incidentView(deps, inc), deps.t, cardOptions(deps));
      if (inc.status === 'resolved')
        return { toast: { type: 'info', content: t('investigate.toast.resolved', { id }) }, card };
      const r = diagnoser.request(id, 'button', ctx.actor);
      switch (r.status) {
        case 'started':
          ctx.log.info({ incidentId: id }, 'investigation requested');
          return { toast: { type: 'success', content: t('investigate.toast.started', { id }) }, card };
        case 'busy':
          return { toast: { type: 'info', content: t('investigate.toast.busy', { id }) }, card };
        case 'recent': {
          const now = deps.clock.now();
          const ago = formatDuration(Math.max(1000, now - r.at)) || '1s';
          const wait = formatDuration(Math.max(1000, diagnoser.burstMs - (now - r.at))) || '1s';
          return { toast: { type: 'info', content: t('investigate.toast.recent', { id, ago, wait }) }, card };
        }
        case 'unavailable':
          return { toast: { type: 'warning', content: t('investigate.toast.noCluster', { id }) } };
        default: {
          const never: never = r;
          return never;
        }
      }
    }),
  );
}
