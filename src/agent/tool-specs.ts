/**
 * The tools a profile offers the model. ToolHost names are `server.tool`; OpenAI-compatible function names must
 * match `^[a-zA-Z0-9_-]{1,64}$`, so the wire name is `server__tool` and the map turns it back. A profile's toolset
 * is a list of globs (`k8s.*`, `prometheus.query`); only read tools are offered — writes happen through runbooks —
 * plus the agent's own tools (`propose_runbook`, delegation to another profile).
 */
import { z } from 'zod';
import type { ToolSpec } from '../ports/llm.js';
import type { ToolInfo } from '../ports/tools.js';

export const PROPOSE_RUNBOOK = 'propose_runbook';

export const ProposeRunbookArgsSchema = z.object({
  runbook: z.string().min(1).describe('Runbook id from the catalogue, e.g. deployment-rollback'),
  params: z.record(z.string(), z.string()).default({}).describe('Runbook parameters as strings'),
  reason: z.string().min(1).describe('One sentence: why this runbook fixes the root cause'),
});

export const DelegateArgsSchema = z.object({
  question: z.string().min(1).describe('One focused question, with the namespace and workload it concerns'),
});

export function wireName(tool: string): string {
  return tool
    .replace(/\./g, '__')
    .replace(/[^a-zA-Z0-9_-]/g, '_')
    .slice(0, 64);
}

export function matchesGlob(glob: string, name: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(name);
}

export interface Toolset {
  specs: ToolSpec[];
  /** Wire name → ToolHost name (host tools only). */
  hostName: Map<string, string>;
  /** Wire name → profile name (delegation tools). */
  delegates: Map<string, string>;
  /** Every host tool by wire name, offered or not (a model may call a write tool it was not offered). */
  known: Map<string, ToolInfo>;
}

export function buildToolset(
  tools: readonly ToolInfo[],
  globs: readonly string[],
  delegates: readonly { name: string; description: string }[],
  catalogue: string,
): Toolset {
  const specs: ToolSpec[] = [];
  const hostName = new Map<string, string>();
  const known = new Map<string, ToolInfo>();
  for (const t of tools) {
    const w = wireName(t.name);
    known.set(w, t);
    if (t.safetyClass !== 'read') continue;
    if (!globs.some((g) => matchesGlob(g, t.name))) continue;
    specs.push({ name: w, description: t.description, parameters: t.inputSchema });
    hostName.set(w, t.name);
  }
  const delegateMap = new Map<string, string>();
  for (const d of delegates) {
    const w = `ask_${wireName(d.name)}_agent`;
    specs.push({ name: w, description: d.description, parameters: z.toJSONSchema(DelegateArgsSchema) as never });
    delegateMap.set(w, d.name);
  }
  if (catalogue) {
    specs.push({
      name: PROPOSE_RUNBOOK,
      description: `Propose a runbook that fixes the root cause; a person approves and runs it. Catalogue:\n${catalogue}`,
      parameters: z.toJSONSchema(ProposeRunbookArgsSchema) as never,
    });
  }
  return { specs, hostName, delegates: delegateMap, known };
}
