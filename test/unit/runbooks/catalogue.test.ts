/**
 * The shipped runbooks (runbooks/*.yaml): all valid, the ids the diagnosis engine proposes, every tool step's
 * arguments accepted by the real tool's input schema after substituting defaults and examples, the five
 * categories covered, alert names that kube-prometheus really fires, and a rollback wherever a step changes
 * something that can be changed back.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PatternId } from '../../../src/diagnosis/finding.js';
import { K8S_TOOLS } from '../../../src/mcp/k8s/server.js';
import { PROMETHEUS_TOOLS } from '../../../src/mcp/prometheus/server.js';
import { loadRunbooks } from '../../../src/runbooks/loader.js';
import { CATEGORIES } from '../../../src/runbooks/schema.js';
import { checkToolSteps, toolCatalog } from '../../../src/runbooks/tool-args.js';

const IDS = [
  'pod-restart',
  'deployment-rollout-restart',
  'deployment-scale',
  'deployment-rollback',
  'raise-memory-limit',
  'raise-cpu-limit',
  'node-cordon-drain',
  'node-uncordon',
  'delete-failed-pods',
  'job-rerun',
  'pvc-expand',
  'coredns-restart',
  'service-endpoints-check',
  'hpa-raise-max',
  'database-connection-recovery',
];

const catalog = toolCatalog([...K8S_TOOLS, ...PROMETHEUS_TOOLS]);
const { runbooks, problems } = loadRunbooks(undefined, { tools: catalog });
const alertnames = new Set(
  (
    JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../fixtures/prometheus/kube-prometheus-alertnames.json'), 'utf8'),
    ) as { alerts: { name: string }[] }
  ).alerts.map((a) => a.name),
);

/** Tools whose change a later step can reverse (a deletion or a restart cannot be undone). */
const UNDOABLE = new Set(['workload_scale', 'set_resources', 'set_image', 'node_cordon', 'node_uncordon']);

describe('the runbook catalogue', () => {
  it('loads every file without a problem, against the real tool schemas', () => {
    expect(problems).toEqual([]);
  });

  it('has exactly the ids the diagnosis engine proposes', () => {
    expect([...runbooks.keys()].sort()).toEqual([...IDS].sort());
  });

  it('covers every category', () => {
    expect(new Set([...runbooks.values()].map((r) => r.category))).toEqual(new Set(CATEGORIES));
  });

  it.each(IDS)(
    '%s: tool args fit the tool after substitution, alert names are real, undoable steps roll back',
    (id) => {
      const rb = runbooks.get(id);
      if (!rb) throw new Error(`${id} did not load`);
      expect(checkToolSteps(rb, catalog)).toEqual([]);
      for (const name of rb.match.alertnames) expect(alertnames, `${id} matches ${name}`).toContain(name);
      const changes = rb.steps.filter((s) => s.type === 'tool' && UNDOABLE.has(s.tool));
      if (changes.length > 0) {
        expect(rb.rollback.length, `${id} changes something undoable`).toBeGreaterThan(0);
        expect(rb.on_failure).toBe('rollback');
      }
      expect(rb.verification.checks.length).toBeGreaterThan(0);
      for (const step of rb.rollback) {
        if (step.type === 'tool') expect(catalog.get(step.tool)?.safetyClass).not.toBe('read');
      }
    },
  );

  it('answers the alerts and patterns an on-call meets', () => {
    const byAlert = (name: string) =>
      [...runbooks.values()].filter((r) => r.match.alertnames.includes(name)).map((r) => r.id);
    const byPattern = (p: PatternId) =>
      [...runbooks.values()].filter((r) => r.match.patterns.includes(p)).map((r) => r.id);
    expect(byAlert('KubePodCrashLooping')).toEqual(expect.arrayContaining(['deployment-rollback', 'pod-restart']));
    expect(byAlert('KubeHpaMaxedOut')).toEqual(['hpa-raise-max']);
    expect(byAlert('KubeNodeNotReady')).toEqual(['node-cordon-drain']);
    expect(byPattern('pod.oom_killed')).toEqual(['raise-memory-limit']);
    expect(byPattern('service.no_endpoints')).toEqual(['service-endpoints-check']);
  });
});
