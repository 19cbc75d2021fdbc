/**
 * @mention and direct-message conversations: one conversation per chat thread, remembered in SQLite and trimmed
 * to a token budget. In an incident's thread the incident (its alerts and the last findings) is the context.
 * The answer is an agent card under the question, updated as the agent works. Without an LLM, a message that
 * names a namespace or workload (or sits in an incident's thread) gets the diagnosis engine's findings and a
 * line saying what deeper analysis needs.
 */
import type { EventContext } from '../app/context.js';
import { replyText } from '../app/reply.js';
import type { IncomingMessage } from '../app/router.js';
import { renderDiagnosisText } from '../diagnosis/render-text.js';
import type { Scope } from '../diagnosis/scope.js';
import type { Incident } from '../incidents/model.js';
import { incidentsOfCardMessage } from '../incidents/publish.js';
import { AgentCardPublisher } from './card-publisher.js';
import { describeIncident } from './incident-context.js';
import { INVESTIGATION_PROFILE, similarLine } from './investigator.js';
import { runAgent } from './loop.js';
import { newRunState } from './run-state.js';
import type { AgentRuntime } from './runtime.js';
import { similarIncidents } from './similar.js';
import { frameData } from './tool-message.js';

export function threadOf(message: IncomingMessage): { threadKey: string; root: string | undefined } {
  return { threadKey: message.rootId ?? '', root: message.rootId ?? message.parentId };
}

export async function converse(rt: AgentRuntime, message: IncomingMessage, ctx: EventContext): Promise<void> {
  const { store, clock } = ctx;
  const { threadKey, root } = threadOf(message);
  const incidentId = root ? incidentsOfCardMessage(store, root)[0] : undefined;
  const incident = incidentId !== undefined ? store.incidents.get(incidentId) : undefined;
  const team = rt.team;
  if (!team) return withoutLlm(rt, message, ctx, incident);
  const now = clock.now();
  const conv = rt.memory.conversation(message.chatId, threadKey, now, incident?.id ?? null);
  const remembered = rt.memory.load(conv.id);
  const context = incident
    ? [
        {
          role: 'user' as const,
          content: `This conversation is about an incident.\n${describeIncident(store, incident, [], similarIncidents(store, incident, { now }), now)}`,
        },
      ]
    : [];
  const runId = rt.newId();
  const state = newRunState({
    runId,
    kind: 'conversation',
    profile: INVESTIGATION_PROFILE,
    chatId: message.chatId,
    threadKey,
    replyTo: message.messageId,
    ...(incident ? { incidentId: incident.id } : {}),
    requestedBy: message.senderOpenId,
    messages: [
      { role: 'system', content: team.systemPrompt(INVESTIGATION_PROFILE) },
      ...context,
      ...remembered,
      {
        role: 'user',
        content: frameData('untrusted_data', { source: 'chat', author: message.senderOpenId }, message.text),
      },
    ],
    now,
  });
  if (incident) {
    state.card = {
      findings: [],
      similar: similarIncidents(store, incident, { now }).map((s) => similarLine(s, now, rt)),
      incidentTitle: incident.title,
    };
  }
  rt.persist(conv.id, state);
  const publisher = new AgentCardPublisher(
    ctx,
    `agent:${runId}`,
    message.chatId,
    message.messageId,
    Boolean(message.threadId),
  );
  rt.track('conversation', () =>
    rt.execute(
      state,
      conv.id,
      publisher,
      ctx.actor,
      async (deps) => {
        deps.onProgress?.(rt.t('agent.progress.thinking', { step: 1 }));
        return runAgent(state, deps);
      },
      { author: message.senderOpenId, text: message.text },
    ),
  );
}

/** A namespace or workload named in a message: `shop/checkout`, `-n shop`, `namespace shop`. */
export function scopeInText(text: string, cluster = ''): Scope | undefined {
  const words = text.replace(/@\S+/g, ' ').trim();
  const slash = /\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\b/.exec(words);
  if (
    slash?.[1] &&
    slash[3] &&
    !/^(deploy|deployment|pod|sts|statefulset|ds|daemonset|svc|service|job)$/.test(slash[1])
  ) {
    return { kind: 'resource', ref: { cluster, kind: 'deployment', namespace: slash[1], name: slash[3] } };
  }
  const ns = /(?:-n\s+|namespace\s+|命名空间\s*)([a-z0-9]([-a-z0-9]*[a-z0-9])?)/i.exec(words);
  if (ns?.[1]) return { kind: 'namespace', cluster, namespace: ns[1] };
  return undefined;
}

async function withoutLlm(
  rt: AgentRuntime,
  message: IncomingMessage,
  ctx: EventContext,
  incident: Incident | undefined,
): Promise<void> {
  const { t } = rt;
  const deeper = t('agent.nollm.deeper');
  const scope: Scope | undefined = incident
    ? {
        kind: 'incident',
        id: String(incident.id),
        cluster: incident.cluster ?? '',
        ...(incident.namespace ? { namespace: incident.namespace } : {}),
        resources: incident.resources,
      }
    : scopeInText(message.text);
  if (!scope) {
    replyText(ctx, message, `${t('agent.nollm.hint')}\n${deeper}`);
    return;
  }
  if (!rt.o.diagnose) {
    replyText(ctx, message, `${t('agent.nocluster')}\n${deeper}`);
    return;
  }
  try {
    const d = await rt.o.diagnose(scope);
    const body =
      d.findings.length === 0 && d.verdict === 'healthy'
        ? t('agent.nollm.nothing', { scope: d.target })
        : renderDiagnosisText(d, t);
    replyText(ctx, message, `${body}\n\n${deeper}`);
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message }, 'agent: diagnosis for a mention failed');
    replyText(ctx, message, `${t('command.toolFailed', { reason: (err as Error).message })}\n${deeper}`);
  }
}
