import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type KubeDeps, pick } from './clusters.js';
import { REVISION, revisions } from './rollout-history.js';
import { cluster, dryRun, name, namespace } from './validate.js';
import { patchAndReport } from './write.js';

const input = z.strictObject({
  name,
  namespace,
  toRevision: z.number().int().min(1).optional().describe('revision to return to; the previous one when omitted'),
  dryRun,
  cluster,
});

export const deploymentRollbackTool = defineTool({
  name: 'deployment_rollback',
  title: 'Roll back a deployment',
  description: 'Return a deployment to an earlier revision (kubectl rollout undo), by default the previous one.',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const revs = await revisions(c, args.namespace, args.name);
    const current = revs.at(-1);
    const target = args.toRevision === undefined ? revs.at(-2) : revs.find((r) => r.revision === args.toRevision);
    if (!current || !target) {
      return {
        status: 'error',
        message:
          args.toRevision === undefined
            ? `deployment ${args.name} has no previous revision (revisions: ${revs.map((r) => r.revision).join(', ') || 'none'})`
            : `revision ${args.toRevision} not found (revisions: ${revs.map((r) => r.revision).join(', ') || 'none'})`,
      };
    }
    if (target.revision === current.revision) {
      return { status: 'error', message: `revision ${target.revision} is already the current revision` };
    }
    const template = structuredClone(target.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    const body = [{ op: 'replace', path: '/spec/template', value: template }];
    const out = await patchAndReport(c, { kind: 'deployment', ...args }, body, 'json', args.dryRun, 'rollback');
    if (out.status === 'ok') {
      out.data = {
        ...(out.data as object),
        fromRevision: current.revision,
        toRevision: target.revision,
        revisionAnnotation: REVISION,
      };
      out.text = `rollback ${args.name} from revision ${current.revision} to ${target.revision}\n${out.text}`;
    }
    return out;
  },
});
