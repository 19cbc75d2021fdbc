/**
 * `agent.auto`: an incident that opens at one of these priorities is investigated without a click, once an LLM is
 * configured. The investigation waits for the incident card to be sent (so the agent's card goes in its thread),
 * polling up to `waitMs`, runs the diagnosis engine for the findings it starts from, and is skipped when the
 * incident was investigated already or has no chat. A trigger pending at shutdown is dropped (the button remains).
 */

import type { Priority } from '../alerts/model.js';
import type { Diagnosis } from '../diagnosis/finding.js';
import type { Scope } from '../diagnosis/scope.js';
import { SYSTEM } from '../incidents/model.js';
import { incidentCardMessageId } from '../incidents/publish.js';
import type { TimerHandle } from '../ports/clock.js';
import type { Investigator } from '../ports/remediation.js';
import type { AgentRuntime } from './runtime.js';

export class AutoInvestigation {
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly rt: AgentRuntime,
    private readonly investigator: Investigator,
    private readonly priorities: readonly Priority[],
    private readonly diagnose?: (scope: Scope) => Promise<Diagnosis>,
    private readonly waitMs = 15_000,
  ) {}

  start(): void {
    if (!this.rt.team || this.priorities.length === 0) return;
    this.unsubscribe = this.rt.o.ctx.store.bus.subscribe((events) => {
      for (const e of events) if (e.type === 'incident.opened') this.schedule(e.incidentId, 0);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers) this.rt.o.ctx.clock.clearTimeout(t);
    this.timers.clear();
  }

  private schedule(incidentId: number, waited: number): void {
    const { ctx } = this.rt.o;
    const step = 1000;
    const timer = ctx.clock.setTimeout(() => {
      this.timers.delete(timer);
      const incident = ctx.store.incidents.get(incidentId);
      if (!incident?.chatId || !this.priorities.includes(incident.priority) || incident.status === 'resolved') return;
      const replyTo = incidentCardMessageId(ctx.store, incidentId);
      if (!replyTo && waited + step < this.waitMs) return this.schedule(incidentId, waited + step);
      if (ctx.store.timeline.list(incidentId).some((e) => e.kind === 'investigated')) return;
      const chatId = incident.chatId;
      this.rt.track('automatic investigation', async () => {
        const findings = this.diagnose
          ? ((
              await this.diagnose({
                kind: 'incident',
                id: String(incident.id),
                cluster: incident.cluster ?? '',
                ...(incident.namespace ? { namespace: incident.namespace } : {}),
                resources: incident.resources,
              }).catch(() => undefined)
            )?.findings ?? [])
          : [];
        await this.investigator.investigate({
          incidentId,
          chatId,
          ...(replyTo ? { replyTo } : {}),
          findings,
          actor: { openId: SYSTEM },
        });
      });
    }, step);
    this.timers.add(timer);
  }
}
