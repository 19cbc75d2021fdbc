import { describe, expect, it } from 'vitest';
import type { RunbookLauncher } from '../../../src/ports/remediation.js';
import { answer, callTools } from '../../../src/sandbox/llm/index.js';
import { messageText } from '../../../src/sandbox/llm/script.js';
import { FakeLauncher } from '../../evals/harness.js';
import { scripted } from './setup.js';
import { agentWorld, CRASH_FINDING } from './world.js';

const ANSWER = `## Root cause
Revision 7 of checkout dropped DATABASE_URL [F1].

## Evidence
- [F1] CrashLoopBackOff; logs: FATAL DATABASE_URL is not set

## Impact
Checkout in shop is down.

## Next steps
1. Roll back to revision 6 (Run button).`;

/** A launcher whose approvals exist in the store, as the runbook engine's do. */
function storeLauncher(
  store: ReturnType<typeof agentWorld>['h']['store'],
  now: () => number,
): RunbookLauncher & { inner: FakeLauncher } {
  const inner = new FakeLauncher();
  return {
    inner,
    catalogue: () => inner.catalogue(),
    async request(req) {
      const r = await inner.request(req);
      if (r.ok && r.approvalId) {
        store.approvals.create(
          {
            id: r.approvalId,
            runId: null,
            incidentId: req.incidentId ?? null,
            action: `runbook:${req.runbookId}`,
            params: req.params,
            requestedBy: req.requester.openId,
            chatId: req.chatId ?? null,
            expiresAt: null,
          },
          now(),
        );
      }
      return r;
    },
  };
}

describe('Investigate', () => {
  it('posts the card at once, updates it, and ends with sections, cited findings, similar incidents, a Run button and the footer', async () => {
    const { llm } = await scripted([
      callTools([
        { name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop', previous: true } },
      ]),
      callTools([
        {
          name: 'propose_runbook',
          arguments: {
            runbook: 'deployment-rollback',
            params: { namespace: 'shop', deployment: 'checkout', to_revision: '6' },
            reason: 'revision 7 broke it',
          },
        },
      ]),
      answer(ANSWER),
    ]);
    const w = agentWorld({
      llm,
      launcher: new FakeLauncher(),
      recordings: [{ tool: 'k8s.pod_logs', args: {}, result: { kind: 'ok', text: 'FATAL DATABASE_URL is not set' } }],
    });
    // A past incident on the same workload, fixed by a verified rollback approved by Alice.
    const current = w.h.store.incidents.get(w.incidentId);
    const past = w.h.store.incidents.create(
      {
        groupKey: 'old',
        title: 'checkout crash-looping',
        priority: 'P1',
        chatId: 'oc_shop',
        namespace: 'shop',
        cluster: null,
        labels: current?.labels ?? {},
        resources: [],
        correlationKey: current?.correlationKey ?? null,
      },
      w.h.clock.now() - 3 * 86_400_000,
    );
    w.h.store.incidents.update(past.id, {
      status: 'resolved',
      resolvedAt: w.h.clock.now() - 3 * 86_400_000 + 3_600_000,
    } as never);
    const at = w.h.clock.now() - 3 * 86_400_000;
    w.h.store.timeline.add(
      past.id,
      { kind: 'diagnosed', detail: { findings: [{ pattern: 'pod.crash_loop', cause: 'bad image 1.5.0' }] } },
      'system',
      at,
    );
    w.h.store.timeline.add(
      past.id,
      { kind: 'approval_requested', detail: { approvalId: 'apr_old', runbookId: 'deployment-rollback' } },
      'system',
      at + 1,
    );
    w.h.store.timeline.add(past.id, { kind: 'approved', detail: { approvalId: 'apr_old' } }, 'ou_alice', at + 2);
    w.h.store.timeline.add(
      past.id,
      { kind: 'run_started', detail: { runId: 'run_old', runbookId: 'deployment-rollback' } },
      'system',
      at + 3,
    );
    w.h.store.timeline.add(past.id, { kind: 'verified', detail: { runId: 'run_old' } }, 'system', at + 4);

    await w.agent.investigator.investigate({
      incidentId: w.incidentId,
      chatId: 'oc_shop',
      replyTo: 'om_card',
      findings: [CRASH_FINDING],
      actor: { openId: 'ou_alice' },
    });
    // The first progress update is queued before the investigation finishes.
    const first = w.h.messages({ kind: 'reply' });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ cardKey: 'agent:ar_1', inThread: true, messageId: 'om_card' });
    expect(first[0]?.kind === 'reply' && first[0].content).toContain('Investigating');
    await w.agent.idle();

    const last = w.cards().at(-1) ?? '';
    expect(last).toContain('Root cause');
    expect(last).toContain('[F1] checkout is crash-looping');
    expect(last).toContain('deployment-rollback fixed it (verified), approved by ou_alice');
    expect(last).toContain(
      '"action":"run_runbook","runbookId":"deployment-rollback","params":{"namespace":"shop","deployment":"checkout","to_revision":"6"}',
    );
    expect(last).toMatch(
      /3 steps · 2 tool calls · \d+ tokens · [\d.]+ s · sandbox-scripted|3 steps · 2 tool calls · \d+ tokens · [\d.]+ s/,
    );
    const tl = w.h.store.timeline.list(w.incidentId);
    expect(tl.find((e) => e.kind === 'investigated')).toMatchObject({
      detail: { summary: 'Revision 7 of checkout dropped DATABASE_URL [F1].' },
      actor: 'llm',
    });
  });

  it('a direct write becomes an approval card; the decision (a domain event) resumes the run in the thread, once', async () => {
    const { server, llm } = await scripted([
      callTools([
        { name: 'k8s__deployment_rollback', arguments: { name: 'checkout', namespace: 'shop', toRevision: 6 } },
      ]),
      answer('## Root cause\nrevision 7.\n\n## Next steps\n1. Watch run_1 on its card.'),
    ]);
    const w0 = agentWorld();
    const launcher = storeLauncher(w0.h.store, () => w0.h.clock.now());
    const w = agentWorld({ llm, launcher });
    const l2 = storeLauncher(w.h.store, () => w.h.clock.now());
    Object.assign(launcher, { request: l2.request, inner: l2.inner });
    await w.agent.investigator.investigate({
      incidentId: w.incidentId,
      chatId: 'oc_shop',
      replyTo: 'om_card',
      findings: [CRASH_FINDING],
      actor: { openId: 'ou_alice' },
    });
    await w.agent.idle();
    expect(l2.inner.requests).toEqual([
      expect.objectContaining({ runbookId: 'deployment-rollback', source: 'agent', incidentId: w.incidentId }),
    ]);
    expect(w.tools.executedWrites).toEqual([]);
    expect(w.cards().at(-1)).toContain('An approval card was posted for deployment-rollback');
    expect(server.requests).toHaveLength(1);

    // A pending (partial) vote changes nothing.
    w.h.store.bus.publish([{ type: 'approval.decided', approvalId: 'apr_1' }]);
    await w.agent.idle();
    expect(server.requests).toHaveLength(1);

    w.h.store.approvals.decide('apr_1', 'approved', 'ou_bob', w.h.clock.now());
    w.h.store.bus.publish([{ type: 'approval.decided', approvalId: 'apr_1' }]);
    w.h.store.bus.publish([{ type: 'approval.decided', approvalId: 'apr_1' }]);
    await w.agent.idle();
    expect(server.requests).toHaveLength(2);
    expect(messageText(server.requests[1]?.messages.at(-1))).toContain('approved; by ou_bob');
    const last = w.cards().at(-1) ?? '';
    expect(last).toContain('Watch run_1');
    expect(last).toContain('k8s.deployment_rollback: approved (ou_bob)');
    expect(messageText(server.requests[1]?.messages.at(-1))).toContain('runbook deployment-rollback');
    const stored = w.h.store.conversations.loadRun('ar_1');
    expect(stored?.status).toBe('done');
  });

  it('one investigation per incident at a time', async () => {
    const { server, llm } = await scripted([answer(ANSWER, { delayMs: 50 }), answer(ANSWER)]);
    const w = agentWorld({ llm });
    const req = {
      incidentId: w.incidentId,
      chatId: 'oc_shop',
      replyTo: 'om_card',
      findings: [],
      actor: { openId: 'ou_alice' },
    };
    await w.agent.investigator.investigate(req);
    await w.agent.investigator.investigate(req);
    await w.agent.idle();
    expect(server.requests).toHaveLength(1);
  });
});

describe('agent.auto', () => {
  it('investigates an incident of an automatic priority once its card is sent, in its thread, once', async () => {
    const { server, llm } = await scripted([answer(ANSWER), answer(ANSWER)]);
    const w = agentWorld({ llm, auto: ['P0', 'P1', 'P2', 'P3'] });
    expect(server.requests).toHaveLength(0);
    await w.h.clock.advance(1000);
    await w.agent.idle();
    expect(server.requests).toHaveLength(1);
    expect(w.h.messages({ kind: 'reply' })[0]).toMatchObject({ messageId: 'om_card', cardKey: 'agent:ar_1' });
    expect(w.h.store.timeline.list(w.incidentId).filter((e) => e.kind === 'investigated')).toHaveLength(1);
    w.h.store.bus.publish([{ type: 'incident.opened', incidentId: w.incidentId }]);
    await w.h.clock.advance(1000);
    await w.agent.idle();
    expect(server.requests).toHaveLength(1);
  });

  it('leaves other priorities to the button', async () => {
    const { server, llm } = await scripted([answer(ANSWER)]);
    const w = agentWorld({ llm, auto: [] });
    await w.h.clock.advance(20_000);
    await w.agent.idle();
    expect(server.requests).toHaveLength(0);
  });
});
