/**
 * The `Investigator` port: an investigation of an incident, started from the engine's findings (already posted by
 * the caller). The agent's card goes in the incident's thread at once ("starting from the engine's findings…"),
 * is updated as the Incident agent works, and ends with the answer. One investigation per incident at a time.
 * Without an LLM the thread is told that the findings are the analysis, and what would enable more.
 */
import type { Finding } from '../diagnosis/finding.js';
import type { InvestigationRequest, Investigator } from '../ports/remediation.js';
import { formatDuration } from '../shared/duration.js';
import { AgentCardPublisher } from './card-publisher.js';
import { describeIncident, findingId } from './incident-context.js';
import { runAgent } from './loop.js';
import { newRunState } from './run-state.js';
import type { AgentRuntime } from './runtime.js';
import { type SimilarIncident, similarIncidents } from './similar.js';

export const INVESTIGATION_PROFILE = 'incident';

export class AgentInvestigator implements Investigator {
  private readonly active = new Set<number>();

  constructor(private readonly rt: AgentRuntime) {}

  async investigate(req: InvestigationRequest): Promise<void> {
    const { ctx } = this.rt.o;
    const { t } = this.rt;
    const incident = ctx.store.incidents.get(req.incidentId);
    if (!incident) {
      ctx.log.warn({ incidentId: req.incidentId }, 'agent: investigation requested for an unknown incident');
      return;
    }
    const team = this.rt.team;
    if (!team) {
      const text = `${t('agent.investigate.no_llm')}\n${t('agent.nollm.deeper')}`;
      if (req.replyTo) {
        ctx.store.outbox.enqueueMessage(
          {
            kind: 'reply',
            chatId: req.chatId,
            messageId: req.replyTo,
            msgType: 'text',
            content: JSON.stringify({ text }),
            inThread: true,
          },
          ctx.clock.now(),
          { dedupeKey: `agent_nollm:${incident.id}:${req.replyTo}` },
        );
      } else {
        ctx.store.outbox.enqueueMessage({ kind: 'send_text', chatId: req.chatId, text }, ctx.clock.now());
      }
      return;
    }
    if (this.active.has(incident.id)) {
      ctx.log.info({ incidentId: incident.id }, 'agent: investigation already running; request ignored');
      return;
    }
    this.active.add(incident.id);
    const now = ctx.clock.now();
    const similar = similarIncidents(ctx.store, incident, { now, patterns: req.findings.map((f) => f.pattern) });
    const runId = this.rt.newId();
    const threadKey = req.replyTo ?? '';
    const conv = this.rt.memory.conversation(req.chatId, threadKey, now, incident.id);
    const state = newRunState({
      runId,
      kind: 'investigation',
      profile: INVESTIGATION_PROFILE,
      chatId: req.chatId,
      threadKey,
      ...(req.replyTo ? { replyTo: req.replyTo } : {}),
      incidentId: incident.id,
      requestedBy: req.actor.openId,
      messages: [
        { role: 'system', content: team.systemPrompt(INVESTIGATION_PROFILE) },
        {
          role: 'user',
          content: this.rt.prompts.render('investigate', {
            incident: describeIncident(ctx.store, incident, req.findings, similar, now),
          }),
        },
      ],
      now,
    });
    state.card = {
      findings: findingRefs(req.findings),
      similar: similar.map((s) => similarLine(s, now, this.rt)),
      incidentTitle: incident.title,
    };
    state.progress = [t('agent.progress.starting')];
    this.rt.persist(conv.id, state);
    const publisher = new AgentCardPublisher(ctx, `agent:${runId}`, req.chatId, req.replyTo, true);
    this.rt.track('investigation', async () => {
      try {
        await this.rt.execute(state, conv.id, publisher, req.actor, async (deps) => {
          // The first progress update goes out before the first model call.
          deps.onProgress?.(t('agent.progress.thinking', { step: 1 }));
          return runAgent(state, deps);
        });
      } finally {
        this.active.delete(incident.id);
      }
    });
  }
}

export function findingRefs(findings: readonly Finding[]): { id: string; title: string }[] {
  return findings.slice(0, 8).map((f, i) => ({ id: findingId(i), title: f.title }));
}

export function similarLine(s: SimilarIncident, now: number, rt: AgentRuntime): string {
  const ago = formatDuration(Math.max(0, now - s.resolvedAt));
  const root = s.rootCause.length > 120 ? `${s.rootCause.slice(0, 119)}…` : s.rootCause;
  if (!s.fix) return rt.t('agent.similar.unfixed', { id: s.id, ago, title: s.title, root });
  const by = s.fix.approvedBy ? nameOf(rt, s.fix.approvedBy) : '-';
  return rt.t('agent.similar.fixed', { id: s.id, ago, title: s.title, root, runbook: s.fix.runbookId, by });
}

function nameOf(rt: AgentRuntime, id: string): string {
  const p = rt.o.ctx.config.file.people.find((x) => x.id === id);
  return p?.name ?? id;
}
