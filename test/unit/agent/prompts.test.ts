import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, PROFILE_NAMES, validatePrompts } from '../../../src/agent/profiles.js';
import { PromptSet } from '../../../src/agent/prompts.js';
import { K8S_TOOLS } from '../../../src/mcp/k8s/server.js';
import { PROMETHEUS_TOOLS } from '../../../src/mcp/prometheus/server.js';

const TOOLS = [...K8S_TOOLS.map((t) => `k8s.${t.name}`), ...PROMETHEUS_TOOLS.map((t) => `prometheus.${t.name}`)];

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
  mkdirSync(join(dir, 'agents'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.md`), text);
  return dir;
}

describe('prompts', () => {
  it('the shipped prompts are valid: every profile of the team, its tools and delegates, every variable', () => {
    const r = validatePrompts(new PromptSet(), TOOLS);
    expect(r.problems).toEqual([]);
    for (const n of PROFILE_NAMES) expect(loadProfile(new PromptSet(), n).name).toBe(n);
    expect(loadProfile(new PromptSet(), 'autofix').engine).toBe('runbooks');
    expect(loadProfile(new PromptSet(), 'k8s').budgets).toMatchObject({
      maxSteps: 5,
      maxToolCalls: 8,
      deadlineMs: 60_000,
    });
  });

  it('renders partials and variables, and throws on a missing variable or partial', () => {
    const set = new PromptSet(folder({ _p: 'partial says {{x}}', a: 'A {{> _p}} and {{y}}', b: 'B {{> _nope}}' }));
    expect(set.render('a', { x: 1, y: 'two' })).toBe('A partial says 1 and two');
    expect(() => set.render('a', { x: 1 })).toThrow(/variable \{\{y\}\} is missing/);
    expect(() => set.render('b', {})).toThrow(/prompt _nope: .* does not exist/);
  });

  it('validate names each broken profile: bad front matter, unknown tool, missing delegate, unknown variable', () => {
    const ok = (name: string) => `---\nname: ${name}\nrole: r\ndescription: d\ntools: ["k8s.*"]\n---\n{{role}}`;
    const dir = folder({
      'agents/incident': `---\nname: incident\nrole: r\ndescription: d\ntools: ["nosuch.*"]\ndelegates: [ghost]\n---\n{{role}} {{mystery}}`,
      'agents/k8s': ok('k8s'),
      'agents/monitor': '---\nname: monitor\nrole: r\n---\nx',
    });
    const r = validatePrompts(new PromptSet(dir), TOOLS);
    expect(r.problems).toEqual(
      expect.arrayContaining([
        'prompt agents/autofix: missing',
        'prompt agents/incident: tool nosuch.* matches no tool',
        'prompt agents/incident: delegate ghost has no profile',
        'prompt agents/incident: unknown variable {{mystery}}',
        expect.stringMatching(/^prompt agents\/monitor: description/),
      ]),
    );
  });
});
