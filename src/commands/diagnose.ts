/**
 * `/diagnose <namespace>` and `/diagnose <kind>/<name> -n <namespace>` (kinds and short names as kubectl
 * accepts them): the diagnosis engine's findings as a diagnosis card, in the thread. In an incident card's
 * thread a bare `/diagnose` diagnoses the incident (its resources and namespace), and each Run button carries the
 * incident (and, like the Investigate button, the diagnosis goes on its timeline and its top cause on its card).
 * "Working on it…" first; a malformed target gets the usage with what was wrong.
 *
 * Built with the cluster-read port it uses (`createDiagnoseCommand(sources)`), since the engine reads the
 * cluster directly rather than through a tool.
 */
import { z } from 'zod';
import { renderDiagnosisCard } from '../cards/diagnosis.js';
import type { DiagnosisSources } from '../diagnosis/engine.js';
import { diagnose } from '../diagnosis/engine.js';
import { incidentScope, parseTarget, type Scope } from '../diagnosis/scope.js';
import { recordDiagnosis } from '../incidents/investigate.js';
import { describeError } from '../shared/errors.js';
import { namespaceArg } from './args.js';
import { defineCommand, text } from './define.js';
import type { Tokens } from './parse.js';

const args = z.object({
  positional: z.array(z.string()).max(1),
  flags: z.object({ namespace: namespaceArg.optional() }).strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<{ positional: string[]; flags: { namespace?: string } }, Tokens>;

export const DIAGNOSE_USAGE = '/diagnose <namespace | kind/name -n namespace>';

export function createDiagnoseCommand(sources: DiagnosisSources | undefined) {
  return defineCommand({
    name: 'diagnose',
    usage: DIAGNOSE_USAGE,
    summary: 'command.diagnose',
    args,
    permission: 'diagnose',
    async run(a, ev) {
      const { t, clock } = ev.ctx;
      const incident =
        ev.threadIncidentId !== undefined ? ev.deps.incidents.store.incidents.get(ev.threadIncidentId) : undefined;
      let scope: Scope;
      if (a.positional.length === 0 && !a.flags.namespace) {
        if (!incident) return text(t('command.usage', { usage: DIAGNOSE_USAGE }));
        scope = incidentScope(incident);
      } else {
        const words = [...a.positional, ...(a.flags.namespace ? ['-n', a.flags.namespace] : [])];
        // `/diagnose -n shop` means the namespace.
        const parsed = parseTarget(
          a.positional.length === 0 ? [a.flags.namespace ?? ''] : words,
          incident?.cluster ?? '',
        );
        if (!parsed.ok) return text(t('diagnose.badTarget', { error: parsed.error, usage: DIAGNOSE_USAGE }));
        scope = parsed.scope;
      }
      if (!sources) return text(t('command.noCluster'));
      ev.interim(t('command.working'));
      try {
        const d = await diagnose(scope, { ...sources, clock, t });
        // A diagnosis of the thread's incident is on its timeline and its card, as the button's is.
        if (incident && scope.kind === 'incident')
          recordDiagnosis(ev.deps.incidents, incident.id, d, 'command', ev.ctx.actor);
        return {
          kind: 'card',
          card: renderDiagnosisCard(d, t, incident && scope.kind === 'incident' ? { incidentId: incident.id } : {}),
        };
      } catch (err) {
        ev.ctx.log.warn({ err, scope }, 'diagnosis failed');
        return text(t('diagnose.failed', { reason: describeError(err) }));
      }
    },
  });
}
