/**
 * `diagnose` (`k8s.diagnose` in the ToolHost): the diagnosis engine as a read tool, so the LLM agent and any MCP
 * client start from the same findings the chat shows — root cause, evidence, what changed, runbooks with
 * their parameters. A namespace, or one object (`kind` + `name`, kubectl short names accepted). Read through
 * the same cluster map as every Kubernetes tool; the result is redacted and capped by `registerTools` like
 * every other. The structured result keeps the findings (evidence trimmed) so it stays under the data cap.
 */
import { z } from 'zod';
import { diagnose } from '../../diagnosis/engine.js';
import type { Diagnosis } from '../../diagnosis/finding.js';
import { renderDiagnosisText } from '../../diagnosis/render-text.js';
import { parseTarget } from '../../diagnosis/scope.js';
import { translator } from '../../shared/i18n.js';
import { defineTool, ToolInputError } from '../tool.js';
import type { KubeDeps } from './clusters.js';
import { pick } from './clusters.js';
import { KubeClusterReader } from './reader.js';
import { cluster, name, namespace } from './validate.js';

const input = z.strictObject({
  namespace: namespace.optional().describe('namespace to diagnose (every object in it), or of the object named'),
  kind: z
    .string()
    .regex(/^[A-Za-z]+$/)
    .optional()
    .describe('kind of one object to diagnose: deploy, sts, ds, po, svc, pvc, ing, job, cj, hpa, node, pdb, netpol…'),
  name: name.optional().describe('name of that object'),
  locale: z.enum(['en-US', 'zh-CN']).default('en-US').describe('language of titles and causes'),
  cluster,
});

/** Findings kept in the structured result, and evidence items per finding. */
const MAX_FINDINGS = 20;
const MAX_EVIDENCE = 8;

function compact(d: Diagnosis): Diagnosis & { omittedFindings: number } {
  return {
    ...d,
    findings: d.findings.slice(0, MAX_FINDINGS).map((f) => ({ ...f, evidence: f.evidence.slice(0, MAX_EVIDENCE) })),
    omittedFindings: Math.max(0, d.findings.length - MAX_FINDINGS),
  };
}

export const diagnoseTool = defineTool({
  name: 'diagnose',
  title: 'Diagnose',
  description:
    'Find the root cause of what is broken in a namespace or one object, without guessing: each finding has the cause in plain words, the evidence (events, container states, the rollout or config change that set it off, log lines), its confidence and the runbooks that fix it with parameters filled in. Start an investigation here and cite its findings.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const words =
      args.kind !== undefined
        ? [`${args.kind}/${args.name ?? ''}`, ...(args.namespace ? ['-n', args.namespace] : [])]
        : [args.namespace ?? ''];
    if (args.kind === undefined && (args.namespace === undefined || args.name !== undefined))
      throw new ToolInputError('give a namespace, or a kind and name (with the namespace for namespaced kinds)');
    const parsed = parseTarget(words, c.name);
    if (!parsed.ok) throw new ToolInputError(parsed.error);
    const t = translator(args.locale);
    const d = await diagnose(parsed.scope, {
      reader: new KubeClusterReader(deps),
      clock: { now: deps.now },
      t,
    });
    return { status: 'ok', data: compact(d), text: renderDiagnosisText(d, t) };
  },
});
