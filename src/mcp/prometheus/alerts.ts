import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';
import { seriesName } from './render.js';

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

const input = z.strictObject({
  state: z.enum(['firing', 'pending', 'any']).default('any'),
  alertname: z.string().max(200).optional().describe('only alerts with this alertname'),
});

export const alertsTool = defineTool({
  name: 'alerts',
  title: 'Active alerts',
  description: 'List the alerts Prometheus currently evaluates as pending or firing, with labels and summary.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const data = (await promGet(deps, 'alerts')) as { alerts: Alert[] };
    const alerts = data.alerts.filter(
      (a) =>
        (args.state === 'any' || a.state === args.state) &&
        (args.alertname === undefined || a.labels.alertname === args.alertname),
    );
    if (alerts.length === 0) {
      return {
        status: 'no_data',
        searched: `${args.state} alerts${args.alertname ? ` named ${args.alertname}` : ''} on ${deps.baseUrl}`,
      };
    }
    const text = alerts
      .map((a) => `${a.state} ${seriesName(a.labels)} since ${a.activeAt ?? '?'}: ${a.annotations.summary ?? ''}`)
      .join('\n');
    return { status: 'ok', data: { alerts }, text };
  },
});
