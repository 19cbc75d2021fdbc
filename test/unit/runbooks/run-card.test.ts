/**
 * The run card in every phase: the approval request carries the dry run and Approve / Reject, later phases carry
 * the steps and the result and no decision buttons, text from the cluster is escaped, and every card fits
 * Feishu's 30 KB.
 */
import { describe, expect, it } from 'vitest';
import { type RunCardView, renderRunCard } from '../../../src/cards/run.js';
import { cardBytes, MAX_CARD_BYTES } from '../../../src/cards/size.js';
import type { RunPlan } from '../../../src/runbooks/plan.js';
import { initialRunState, type RunState } from '../../../src/runbooks/run-state.js';
import { translator } from '../../../src/shared/i18n.js';

const plan: RunPlan = {
  version: 1,
  runbookId: 'deployment-scale',
  risk: 'medium',
  params: { namespace: 'shop', deployment: 'cart', replicas: 4, previous_replicas: 2 },
  cluster: 'prod',
  target: { kind: 'deployment', name: 'cart', namespace: 'shop' },
  targetKey: 'prod/deployment/shop/cart',
  incidentId: 7,
  chatId: 'oc_x',
  source: 'button',
  reason: 'cart has 2/4 replicas <at id=all></at>',
  requester: 'ou_alice',
  decisionId: 'ap-1',
  approversNeeded: 1,
  expiresAt: Date.parse('2026-11-25T08:30:00Z'),
  calls: [
    {
      section: 'steps',
      index: 0,
      stepId: 'scale',
      tool: 'k8s.workload_scale',
      args: { name: 'cart' },
      safetyClass: 'write',
      approvalId: 'ap-1.s0',
      preview: {
        ok: true,
        text: 'spec.replicas: 2 → 4',
        changes: [{ path: 'spec.replicas', from: 2, to: 4 }],
        pods: [],
        replicas: { before: 2, after: 4 },
      },
    },
  ],
};

function view(state: Partial<RunState>, extra: Partial<RunCardView> = {}): RunCardView {
  return {
    runId: 'run-1',
    title: 'Scale a deployment',
    plan,
    state: { ...initialRunState('deployment-scale', 0), ...state },
    steps: [
      { section: 'steps', stepId: 'scale', title: 'Set the replica count' },
      { section: 'rollback', stepId: 'restore', title: 'Restore the replica count' },
    ],
    votes: [],
    undoable: false,
    timezone: 'UTC',
    ...extra,
  };
}

const t = translator('en-US');
const text = (v: RunCardView) => JSON.stringify(renderRunCard(v, t));

describe('run card', () => {
  it('asks for approval with what, where, why, risk, parameters, requester, expiry and the dry run', () => {
    const card = text(view({}));
    for (const s of [
      'Scale a deployment · shop/cart',
      'Waiting for approval',
      'cluster prod',
      '**Incident** #7',
      'medium · 1 approver(s) needed',
      'replicas=`4`',
      '<at id=ou_alice></at>',
      '2026-11-25 08:30',
      'Dry run of Set the replica count',
      'spec.replicas: `2` → `4`',
      'Replicas: 2 → 4',
      '"action":"approve","approvalId":"ap-1"',
      '"action":"reject","approvalId":"ap-1"',
    ]) {
      expect(card).toContain(s);
    }
    expect(card).not.toContain('<at id=all>');
  });

  it('shows progress and the result without decision buttons, and Undo only when it can undo', () => {
    const running = text(
      view({
        phase: 'running',
        cursor: { section: 'steps', index: 0, stepId: 'scale', startedAt: 1 },
        approvedBy: ['ou_bob'],
      }),
    );
    expect(running).toContain('⏳ Set the replica count');
    expect(running).not.toContain('"action":"approve"');
    const done = view(
      {
        phase: 'succeeded',
        history: [
          {
            section: 'steps',
            index: 0,
            stepId: 'scale',
            startedAt: 1,
            finishedAt: 2,
            outcome: { result: 'ok', summary: 'changed' },
          },
        ],
        verification: { result: 'passed', at: 3 },
      },
      { undoable: true, votes: ['ou_bob'] },
    );
    expect(text(done)).toContain('Done — verified');
    expect(text(done)).toContain('**Verification** passed');
    expect(text(done)).toContain('"action":"rollback","runId":"run-1"');
    const rolled = text(
      view({
        phase: 'rolled_back',
        history: [
          { section: 'steps', index: 0, stepId: 'scale', startedAt: 1, finishedAt: 2, outcome: { result: 'ok' } },
          { section: 'rollback', index: 0, stepId: 'restore', startedAt: 3, finishedAt: 4, outcome: { result: 'ok' } },
        ],
        verification: { result: 'failed', detail: 'ready: 1/4 pods ready', at: 3 },
        failure: { message: 'verification failed: ready: 1/4 pods ready' },
      }),
    );
    expect(rolled).toContain('Rolled back');
    expect(rolled).toContain('↩️ Restore the replica count');
    expect(rolled).toContain('failed: ready: 1/4 pods ready');
    const cannot = text(
      view({ phase: 'failed', verification: { result: 'cannot_verify', detail: 'no Prometheus', at: 3 } }),
    );
    expect(cannot).toContain('cannot verify: no Prometheus');
    expect(cannot).not.toContain('Done');
  });

  it('fits 30 KB in every phase, even with a huge dry run', () => {
    const huge: RunPlan = {
      ...plan,
      calls: [
        {
          ...(plan.calls[0] as RunPlan['calls'][number]),
          preview: {
            ok: true,
            text: 'x',
            changes: Array.from({ length: 500 }, (_, i) => ({
              path: `spec.template.x${i}`,
              from: 'a'.repeat(200),
              to: 'b',
            })),
            pods: Array.from({ length: 500 }, (_, i) => `pod-${i}`),
            replicas: null,
          },
        },
      ],
    };
    for (const phase of ['awaiting_approval', 'running', 'succeeded', 'expired', 'interrupted'] as const) {
      const card = renderRunCard({ ...view({ phase }), plan: huge }, t);
      expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    }
  });
});
