/**
 * Runbooks against the tools that will run them: every tool a runbook names exists, preconditions only read,
 * and every tool call's arguments — after substituting sample parameters (defaults and examples; once with
 * optional parameters unset and once with their examples) — satisfy the tool's own zod input schema. The
 * object names checks and the target resolve to are checked as Kubernetes names too. The catalogue is passed
 * in (the composition root builds it from the MCP servers' tool lists), so this module imports no adapter.
 */
import type { z } from 'zod';
import { label, name } from '../mcp/k8s/validate.js';
import type { SafetyClass } from '../ports/tools.js';
import { sampleParams } from './params.js';
import type { Runbook, RunbookResourceRef } from './schema.js';
import { renderTemplate } from './template.js';

export interface ToolSpec {
  input: z.ZodType;
  safetyClass: SafetyClass;
}
export type ToolCatalog = ReadonlyMap<string, ToolSpec>;

/** A catalogue from tool definitions (`K8S_TOOLS`, `PROMETHEUS_TOOLS`, …). */
export function toolCatalog(
  defs: readonly { name: string; input: z.ZodType; safetyClass: SafetyClass }[],
): ToolCatalog {
  return new Map(defs.map((d) => [d.name, { input: d.input, safetyClass: d.safetyClass }]));
}

export interface ToolArgProblem {
  path: (string | number)[];
  message: string;
}

type Section = 'preconditions' | 'steps' | 'rollback';

export function checkToolSteps(rb: Runbook, catalog: ToolCatalog): ToolArgProblem[] {
  const problems: ToolArgProblem[] = [];
  const samples = [sampleParams(rb.params), sampleParams(rb.params, true)];
  const lists: [Section, Runbook['steps']][] = [
    ['preconditions', rb.preconditions],
    ['steps', rb.steps],
    ['rollback', rb.rollback],
  ];
  for (const [section, list] of lists) {
    list.forEach((step, i) => {
      if (step.type !== 'tool') return;
      const at = [section, i];
      const spec = catalog.get(step.tool);
      if (!spec) {
        problems.push({
          path: [...at, 'tool'],
          message: `unknown tool ${step.tool}; known: ${[...catalog.keys()].sort().join(', ')}`,
        });
        return;
      }
      if (section === 'preconditions' && spec.safetyClass !== 'read') {
        problems.push({
          path: [...at, 'tool'],
          message: `a precondition may only read; ${step.tool} is ${spec.safetyClass}`,
        });
      }
      const messages = new Set<string>();
      for (const values of samples) {
        try {
          const parsed = spec.input.safeParse(renderTemplate(step.args, values));
          if (!parsed.success) {
            for (const iss of parsed.error.issues) {
              messages.add(`${['args', ...iss.path].join('.')}: ${iss.message} (tool ${step.tool})`);
            }
          }
        } catch (err) {
          messages.add((err as Error).message);
        }
      }
      for (const message of messages) problems.push({ path: at, message });
    });
  }
  const refs: [(string | number)[], RunbookResourceRef][] = [[['target'], rb.target]];
  const checked: [string, readonly Runbook['steps'][number][]][] = [
    ...lists,
    ['verification.checks', rb.verification.checks],
  ];
  for (const [section, list] of checked) {
    list.forEach((s, i) => {
      if (s.type === 'check_resource') refs.push([[section, i, 'ref'], s.ref]);
    });
  }
  for (const [at, ref] of refs) {
    for (const values of samples) {
      const r = renderTemplate(ref, values) as { name?: unknown; namespace?: unknown };
      const n = name.safeParse(r.name);
      if (!n.success)
        problems.push({ path: [...at, 'name'], message: `${String(r.name)}: ${n.error.issues[0]?.message}` });
      if (ref.namespace !== undefined) {
        const ns = label.safeParse(r.namespace);
        if (!ns.success) {
          problems.push({
            path: [...at, 'namespace'],
            message: `${String(r.namespace)}: ${ns.error.issues[0]?.message}`,
          });
        }
      }
    }
  }
  return dedupe(problems);
}

function dedupe(problems: ToolArgProblem[]): ToolArgProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join('.')}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
