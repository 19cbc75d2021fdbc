/**
 * loadRunbooks over a folder of files: good ones load, and every problem of every bad one comes back at once
 * with the file, the path inside it and a message — YAML errors with their line, a file name that is not the
 * id, unknown tools, arguments the tool refuses after substitution, a precondition that writes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { K8S_TOOLS } from '../../../src/mcp/k8s/server.js';
import { PROMETHEUS_TOOLS } from '../../../src/mcp/prometheus/server.js';
import { formatRunbookProblems, loadRunbooks } from '../../../src/runbooks/loader.js';
import { toolCatalog } from '../../../src/runbooks/tool-args.js';
import { baseRunbook } from './fixtures.js';

const tools = toolCatalog([...K8S_TOOLS, ...PROMETHEUS_TOOLS]);

function folder(files: Record<string, string | Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-'));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof body === 'string' ? body : yaml.dump(body));
  }
  return dir;
}

// biome-ignore lint/suspicious/noExplicitAny: test mutations reach anywhere
type Rb = Record<string, any>;

function variant(id: string, mutate: (rb: Rb) => void = () => {}): Record<string, unknown> {
  const rb = { ...baseRunbook(), id } as Rb;
  mutate(rb);
  return rb;
}

describe('loadRunbooks', () => {
  it('loads valid files by id and skips the README', () => {
    const dir = folder({ 'scale-a.yaml': variant('scale-a'), 'README.md': '# runbooks' });
    const { runbooks, problems } = loadRunbooks(dir, { tools });
    expect(problems).toEqual([]);
    expect([...runbooks.keys()]).toEqual(['scale-a']);
    expect(runbooks.get('scale-a')?.steps[0]).toMatchObject({ type: 'tool', tool: 'workload_scale' });
  });

  it('returns every problem of every file at once, with file, path and message', () => {
    const dir = folder({
      'good.yaml': variant('good'),
      'broken.yaml': 'id: broken\nsteps: [\n',
      'named-wrong.yaml': variant('other-id'),
      'unknown-tool.yaml': variant('unknown-tool', (rb) => (rb.steps[0].tool = 'deployment_scale')),
      'bad-args.yaml': variant('bad-args', (rb) => {
        rb.steps[0].args.replicas = '{{ params.deployment }}';
        rb.steps[0].args.kind = 'daemonset';
      }),
      'writes-early.yaml': variant('writes-early', (rb) => {
        rb.preconditions = [{ ...rb.steps[0], id: 'pre' }];
      }),
      'schema.yaml': variant('schema', (rb) => {
        rb.risk = 'extreme';
      }),
      'notes.txt': 'hello',
    });
    const { runbooks, problems } = loadRunbooks(dir, { tools });
    expect([...runbooks.keys()]).toEqual(['good']);
    const by = (file: string) => problems.filter((p) => p.file === file);
    expect(by('broken.yaml')).toEqual([
      {
        file: 'broken.yaml',
        path: expect.stringMatching(/^line \d+, column \d+$/),
        message: expect.stringMatching(/^not valid YAML: /),
      },
    ]);
    expect(by('named-wrong.yaml')).toEqual([
      { file: 'named-wrong.yaml', path: 'id', message: 'id other-id must match the file name (named-wrong)' },
    ]);
    expect(by('unknown-tool.yaml')).toEqual([
      {
        file: 'unknown-tool.yaml',
        path: 'steps.0.tool',
        message: expect.stringMatching(/^unknown tool deployment_scale; known: .*workload_scale/),
      },
    ]);
    expect(by('bad-args.yaml').map((p) => p.message)).toEqual([
      expect.stringMatching(/^args\.kind: .*\(tool workload_scale\)$/),
      expect.stringMatching(/^args\.replicas: .*number.*\(tool workload_scale\)$/),
    ]);
    expect(by('writes-early.yaml')).toEqual([
      {
        file: 'writes-early.yaml',
        path: 'preconditions.0.tool',
        message: 'a precondition may only read; workload_scale is write',
      },
    ]);
    expect(by('schema.yaml')).toEqual([{ file: 'schema.yaml', path: 'risk', message: expect.any(String) }]);
    expect(by('notes.txt')).toEqual([
      { file: 'notes.txt', path: '', message: 'not a runbook: runbooks are <id>.yaml files' },
    ]);
    const text = formatRunbookProblems(problems);
    expect(text).toMatch(/^Runbooks have 8 problem\(s\):\n {2}- bad-args\.yaml steps\.0: args\.kind: /);
  });

  it('checks an optional parameter both unset and set', () => {
    const dir = folder({
      'rev.yaml': variant('rev', (rb) => {
        rb.params.revision = {
          type: 'string',
          optional: true,
          example: 'three',
          description: { 'zh-CN': '版本', 'en-US': 'revision' },
        };
        rb.steps[0] = {
          id: 'rb',
          type: 'tool',
          tool: 'deployment_rollback',
          args: {
            name: '{{ params.deployment }}',
            namespace: '{{ params.namespace }}',
            toRevision: '{{ params.revision }}',
          },
        };
      }),
    });
    const { problems } = loadRunbooks(dir, { tools });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^args\.toRevision: .*number.*\(tool deployment_rollback\)$/),
    ]);
  });

  it('checks the object names a run will resolve to', () => {
    const dir = folder({
      'names.yaml': variant('names', (rb) => {
        rb.params.deployment.format = undefined;
        rb.params.deployment.example = 'Cart_Service';
      }),
    });
    const { problems } = loadRunbooks(dir, { tools });
    expect(
      problems.some(
        (p) => p.path === 'target.name' && p.message.startsWith('Cart_Service: must be a Kubernetes object name'),
      ),
    ).toBe(true);
  });

  it('without a tool catalogue checks the format only', () => {
    const dir = folder({
      'unknown-tool.yaml': variant('unknown-tool', (rb) => (rb.steps[0].tool = 'deployment_scale')),
    });
    expect(loadRunbooks(dir).problems).toEqual([]);
  });

  it('says so when the folder cannot be read', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'runbooks-')), 'missing');
    expect(loadRunbooks(dir).problems).toEqual([
      { file: dir, path: '', message: expect.stringMatching(/^cannot read the runbooks folder: ENOENT/) },
    ]);
    mkdirSync(dir);
    expect(loadRunbooks(dir)).toEqual({ runbooks: new Map(), problems: [] });
  });
});
