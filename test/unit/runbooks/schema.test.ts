/**
 * RunbookSchema: what a runbook author gets told. Each row breaks one rule of a valid runbook and expects the
 * path and the words of the problem; the valid one parses with its defaults filled in.
 */
import { describe, expect, it } from 'vitest';
import { RunbookSchema, runbookJsonSchema } from '../../../src/runbooks/schema.js';
import { baseRunbook } from './fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: test mutations reach anywhere
type Rb = Record<string, any>;

function problems(mutate: (rb: Rb) => void): string[] {
  const rb = baseRunbook() as Rb;
  mutate(rb);
  const r = RunbookSchema.safeParse(rb);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('RunbookSchema', () => {
  it('parses a valid runbook and fills the defaults', () => {
    const rb = RunbookSchema.parse(baseRunbook());
    expect(rb.on_failure).toBe('abort');
    expect(rb.cooldown).toBe('10m');
    expect(rb.rollback).toEqual([]);
    expect(rb.match).toEqual({ alertnames: [], labels: [], patterns: [] });
    expect(rb.params.namespace?.optional).toBe(false);
  });

  const rows: [string, (rb: Rb) => void, RegExp][] = [
    ['an unknown field', (rb) => (rb.step = []), /^: Unrecognized key: "step"/],
    ['a title without zh-CN', (rb) => (rb.title = { 'en-US': 'x' }), /^title\.zh-CN: /],
    ['an unknown risk', (rb) => (rb.risk = 'extreme'), /^risk: /],
    ['an unknown category', (rb) => (rb.category = 'misc'), /^category: /],
    ['a bad duration', (rb) => (rb.cooldown = 'ten minutes'), /^cooldown: must be a duration/],
    ['an unknown step type', (rb) => (rb.steps[0].type = 'exec'), /^steps\.0\.type: /],
    ['no steps', (rb) => (rb.steps = []), /^steps: /],
    ['no verification checks', (rb) => (rb.verification.checks = []), /^verification\.checks: /],
    [
      'an unknown parameter in a template',
      (rb) => (rb.steps[0].args.name = '{{ params.deploy }}'),
      /^steps\.0\.args\.name: unknown parameter \{\{ params\.deploy \}\}; declared: namespace, deployment, replicas/,
    ],
    [
      'another template root',
      (rb) => (rb.steps[0].args.name = '{{ env.HOME }}'),
      /^steps\.0\.args\.name: unsupported placeholder \{\{ env\.HOME \}\}/,
    ],
    [
      'a filter in a template',
      (rb) => (rb.target.name = '{{ params.deployment | upper }}'),
      /^target\.name: unsupported placeholder/,
    ],
    ['unbalanced braces', (rb) => (rb.target.name = '{{ params.deployment }'), /^target\.name: unbalanced braces/],
    [
      'an optional parameter inside text',
      (rb) => {
        rb.params.deployment = { ...rb.params.deployment, optional: true };
        rb.target.name = 'app-{{ params.deployment }}';
      },
      /^target\.name: optional parameter deployment may only be used as a whole value/,
    ],
    [
      'a free string parameter inside PromQL',
      (rb) => {
        delete rb.params.namespace.format;
        rb.verification.checks.push({
          id: 'q',
          type: 'check_promql',
          query: 'up{namespace="{{ params.namespace }}"}',
          expect: { op: '==', value: 1 },
        });
      },
      /^verification\.checks\.1\.query: string parameter namespace is used in PromQL: give it a format, pattern or enum/,
    ],
    [
      'expect.value from a string parameter',
      (rb) =>
        rb.verification.checks.push({
          id: 'q',
          type: 'check_promql',
          query: 'up',
          expect: { op: '==', value: '{{ params.namespace }}' },
        }),
      /^verification\.checks\.1\.expect\.value: expect\.value must be a number/,
    ],
    [
      'a step id used twice',
      (rb) => (rb.verification.checks[0].id = 'scale'),
      /^verification\.checks\.0\.id: step id scale is used twice \(also in steps\)/,
    ],
    [
      'on_failure rollback without rollback steps',
      (rb) => (rb.on_failure = 'rollback'),
      /^on_failure: on_failure is rollback but there are no rollback steps/,
    ],
    [
      'a condition that does not fit the kind',
      (rb) => (rb.verification.checks[0].condition = 'endpoints_ready'),
      /^verification\.checks\.0\.condition: endpoints_ready applies to service, not deployment/,
    ],
    [
      'a namespaced kind without a namespace',
      (rb) => delete rb.target.namespace,
      /^target\.namespace: a deployment needs a namespace/,
    ],
    [
      'a node with a namespace',
      (rb) => (rb.target = { kind: 'node', name: 'n1', namespace: 'x' }),
      /^target\.namespace: a node has no namespace/,
    ],
    [
      'a label matcher that does not parse',
      (rb) => (rb.match = { labels: ['namespace~shop'] }),
      /^match\.labels\.0: not a label matcher: namespace~shop/,
    ],
    [
      'a pattern id that is not one',
      (rb) => (rb.match = { patterns: ['CrashLoop'] }),
      /^match\.patterns\.0: must be a pattern id/,
    ],
    [
      'dryRun in tool args',
      (rb) => (rb.steps[0].args.dryRun = true),
      /^steps\.0\.args\.dryRun: dryRun is set by the engine/,
    ],
    [
      'cluster in tool args',
      (rb) => (rb.steps[0].args.cluster = 'prod'),
      /^steps\.0\.args\.cluster: cluster is set by the engine/,
    ],
    [
      'a required parameter without an example',
      (rb) => delete rb.params.deployment.example,
      /^params\.deployment: a required parameter needs an example/,
    ],
    [
      'an optional parameter with a default',
      (rb) => (rb.params.replicas.optional = true),
      /^params\.replicas: an optional parameter cannot have a default/,
    ],
    [
      'a default outside its bounds',
      (rb) => (rb.params.replicas.default = 99),
      /^params\.replicas\.default: must be at most 50/,
    ],
    [
      'an example that breaks its format',
      (rb) => (rb.params.namespace.example = 'Shop_1'),
      /^params\.namespace\.example: must be a DNS label/,
    ],
    [
      'a pattern that does not compile',
      (rb) => (rb.params.namespace.pattern = '(['),
      /^params\.namespace\.pattern: not a valid regular expression/,
    ],
    [
      'a bad parameter name',
      (rb) => (rb.params['Bad-Name'] = rb.params.namespace),
      /^params\.Bad-Name: must be a parameter name/,
    ],
  ];

  it.each(rows)('refuses %s', (_what, mutate, expected) => {
    const found = problems(mutate);
    expect(
      found.some((p) => expected.test(p)),
      found.join('\n'),
    ).toBe(true);
  });

  it('reports every problem of a runbook at once', () => {
    const found = problems((rb) => {
      rb.risk = 'extreme';
      rb.cooldown = 'soon';
    });
    expect(found).toHaveLength(2);
  });

  it('exports the format as JSON Schema for editors', () => {
    const schema = runbookJsonSchema() as { type: string; properties: Record<string, unknown>; required: string[] };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['id', 'params', 'steps', 'verification', 'rollback']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'steps', 'verification']));
    expect(schema.required).not.toContain('rollback');
    expect(JSON.stringify(schema)).toContain('check_promql');
  });
});
