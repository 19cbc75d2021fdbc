/**
 * Every runbook a finding suggests must be one the catalogue has, with parameters it accepts: a Run button
 * built from a suggestion must never be refused for an unknown or a missing parameter.
 */
import { describe, expect, it } from 'vitest';
import { PATTERN_IDS } from '../../../src/diagnosis/finding.js';
import { suggestRunbooks } from '../../../src/diagnosis/runbooks.js';
import { loadRunbooks } from '../../../src/runbooks/loader.js';
import { resolveParams } from '../../../src/runbooks/params.js';
import type { ResourceRef } from '../../../src/shared/resource-ref.js';

const { runbooks } = loadRunbooks();

const change = {
  type: 'change' as const,
  source: 'rollout history',
  at: 0,
  revision: 7,
  previousRevision: 6,
  beforeFailure: true,
  changes: [{ field: 'image', from: 'shop/checkout:1.4.2', to: 'shop/checkout:1.5.0' }],
};

const kinds: ResourceRef['kind'][] = [
  'deployment',
  'statefulset',
  'pod',
  'service',
  'job',
  'node',
  'horizontalpodautoscaler',
];
const facts = {
  container: 'app',
  memoryLimit: '256Mi',
  deployment: 'cart',
  replicas: '3',
  previousReplicas: '2',
  max: '5',
};
const dbLog = ['FATAL: could not connect to database: dial tcp orders-db:5432: connection refused'];

describe('runbook suggestions', () => {
  // A node finding is about a node; every other pattern is about a namespaced object.
  const cases = PATTERN_IDS.flatMap((pattern) =>
    kinds
      .filter((kind) => (kind === 'node') === pattern.startsWith('node.'))
      .flatMap((kind) =>
        [undefined, change].flatMap((c) =>
          [[], dbLog].map((logLines) => ({
            pattern,
            resource: {
              kind,
              name: kind === 'node' ? 'node-1' : 'checkout',
              namespace: kind === 'node' ? undefined : 'shop',
            },
            facts,
            change: c as never,
            logLines,
          })),
        ),
      ),
  );

  it('name catalogue runbooks with parameters they accept', () => {
    const problems: string[] = [];
    let suggested = 0;
    for (const input of cases) {
      for (const s of suggestRunbooks(input as never)) {
        suggested++;
        const rb = runbooks.get(s.id);
        if (!rb) {
          problems.push(`${input.pattern} on ${input.resource.kind}: no runbook ${s.id}`);
          continue;
        }
        const r = resolveParams(rb, s.params);
        if (!r.ok) problems.push(`${input.pattern} on ${input.resource.kind} → ${s.id}: ${r.problems.join('; ')}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
    expect(suggested).toBeGreaterThan(50);
  });

  it('offers a rollback to the previous revision after a bad rollout, and a database recovery naming the database', () => {
    const base = { resource: { kind: 'deployment', name: 'checkout', namespace: 'shop' }, facts };
    expect(
      suggestRunbooks({ ...base, pattern: 'pod.crash_loop', change, logLines: [] } as never).map((s) => [
        s.id,
        s.params,
      ]),
    ).toEqual([['deployment-rollback', { namespace: 'shop', deployment: 'checkout', to_revision: '6' }]]);
    expect(
      suggestRunbooks({ ...base, pattern: 'pod.crash_loop', change: undefined, logLines: dbLog } as never)[0],
    ).toEqual({
      id: 'database-connection-recovery',
      params: { namespace: 'shop', db_service: 'orders-db', client_deployment: 'checkout' },
    });
  });
});
