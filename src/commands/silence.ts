/** `/silence <duration> [id]`: silences an incident's alerts in Alertmanager, as the card's Silence button does. */
import { z } from 'zod';
import { silenceIncident } from '../incidents/silence.js';
import { formatDuration, parseDuration } from '../shared/duration.js';
import { formatTime } from '../shared/time.js';
import { incidentAccess, incidentIdArg, positionalOnly, targetIncident } from './args.js';
import { defineCommand, text } from './define.js';

const MAX_MS = 30 * 86_400_000;
const duration = z.string().transform((s, c) => {
  const ms = parseDuration(s);
  if (ms === undefined || ms <= 0 || ms > MAX_MS) {
    c.addIssue({ code: 'custom', message: 'bad duration' });
    return z.NEVER;
  }
  return ms;
});

export const silenceCommand = defineCommand({
  name: 'silence',
  usage: '/silence <duration> [id]',
  summary: 'command.silence',
  args: positionalOnly(z.union([z.tuple([duration]), z.tuple([duration, incidentIdArg])])),
  permission: 'incident.silence',
  scope: (a, ev) => incidentAccess(ev, targetIncident(a.positional[1], ev.threadIncidentId)),
  async run(a, ev) {
    const { t } = ev.ctx;
    const [ms, named] = a.positional;
    const id = targetIncident(named, ev.threadIncidentId);
    if (id === undefined) return text(t('command.needIncident', { usage: '/silence <duration> <id>' }));
    const r = await silenceIncident(ev.deps.incidents, ev.deps.alertmanager, id, ev.ctx.actor.openId, ms);
    if (r.ok) return text(t('incident.toast.silenced', { duration: formatDuration(ms) }));
    switch (r.reason) {
      case 'not_found':
        return text(t('incident.toast.notFound', { id }));
      case 'resolved':
        return text(t('incident.toast.alreadyResolved', { id }));
      case 'unavailable':
        return text(t('incident.toast.silenceUnavailable'));
      case 'failed':
        return text(t('incident.toast.silenceFailed', { reason: r.message ?? '?' }));
      case 'already_silenced': {
        const until = formatTime(r.endsAt, ev.deps.incidents.config.timezone);
        return text(t('incident.toast.alreadySilenced', { id, until, who: r.createdBy }));
      }
      default: {
        const never: never = r;
        return never;
      }
    }
  },
});
