import { z } from 'zod';
import { obj } from '../objects.js';
import type { Scenario } from './types.js';

const Target = z.object({
  namespace: z.string().min(1).default('payments'),
  job: z.string().min(1).default('ledger-migrate'),
  backoffLimit: z.number().int().min(0).max(6).default(2),
});

/**
 * A Job whose pods exit 1 until the backoff limit is reached, as the Job controller leaves it: failed pods
 * with their logs, the Failed condition and the BackoffLimitExceeded event (the simulator runs no Job pods).
 */
export const jobFailed: Scenario<typeof Target> = {
  name: 'job-failed',
  summary: 'A migration Job fails on every attempt (a missing column) until BackoffLimitExceeded.',
  fix: 'fix the migration and run the Job again (delete and recreate it)',
  target: Target,
  inject(ctx, t) {
    ctx.store.delete('Job', t.namespace, t.job);
    const labels = { 'job-name': t.job };
    const image = 'registry.local/payments/ledger-migrate:0.9.0';
    const job = ctx.store.create(
      obj({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: t.job, namespace: t.namespace, labels },
        spec: {
          backoffLimit: t.backoffLimit,
          template: {
            metadata: { labels },
            spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] },
          },
        },
      }),
    );
    const started = ctx.ts(-60_000);
    const owner = [{ apiVersion: 'batch/v1', kind: 'Job', name: t.job, uid: job.metadata.uid ?? '', controller: true }];
    for (let i = 0; i <= t.backoffLimit; i++) {
      const name = `${t.job}-${ctx.rng.suffix()}`;
      const pod = ctx.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: t.namespace, labels, ownerReferences: owner },
          spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] },
          status: {
            phase: 'Failed',
            containerStatuses: [
              {
                name: 'migrate',
                image,
                imageID: `${image}@sha256:${'0'.repeat(64)}`,
                ready: false,
                started: false,
                restartCount: 0,
                lastState: {},
                state: { terminated: { exitCode: 1, reason: 'Error', startedAt: started, finishedAt: ctx.ts() } },
              },
            ],
          },
        }),
      );
      for (const line of [
        '{"level":"info","msg":"applying migration 0042_add_settlement_currency"}',
        'ERROR: column "settlement_currency" of relation "ledger_entries" does not exist',
        '{"level":"fatal","msg":"migration 0042 failed","exit_code":1}',
      ])
        ctx.store.appendLog(t.namespace, name, 'migrate', line);
      ctx.store.recordEvent(pod, 'BackOff', 'Back-off restarting failed container migrate', 'Warning');
    }
    const message = 'Job has reached the specified backoff limit';
    ctx.store.updateStatus('Job', t.namespace, t.job, {
      failed: t.backoffLimit + 1,
      startTime: started,
      conditions: [
        {
          type: 'FailureTarget',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message,
          lastTransitionTime: ctx.ts(),
        },
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message, lastTransitionTime: ctx.ts() },
      ],
    });
    ctx.store.recordEvent(job, 'BackoffLimitExceeded', message, 'Warning');
    return `job ${t.namespace}/${t.job} failed ${t.backoffLimit + 1} times (BackoffLimitExceeded)`;
  },
};
