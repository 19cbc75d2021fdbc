import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';

interface Target {
  scrapePool: string;
  scrapeUrl: string;
  health: string;
  lastError: string;
  lastScrape: string;
  labels: Record<string, string>;
}

const input = z.strictObject({
  health: z.enum(['up', 'down', 'unknown', 'any']).default('any'),
  scrapePool: z.string().max(200).optional(),
});

export const targetsTool = defineTool({
  name: 'targets',
  title: 'Scrape targets health',
  description: 'List active scrape targets with health (up/down), last error and last scrape time.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const params: [string, string][] = [['state', 'active']];
    if (args.scrapePool) params.push(['scrapePool', args.scrapePool]);
    const data = (await promGet(deps, 'targets', params)) as { activeTargets: Target[] };
    const targets = data.activeTargets
      .filter((t) => args.health === 'any' || t.health === args.health)
      .filter((t) => args.scrapePool === undefined || t.scrapePool === args.scrapePool)
      .map((t) => ({
        scrapePool: t.scrapePool,
        scrapeUrl: t.scrapeUrl,
        health: t.health,
        lastError: t.lastError,
        lastScrape: t.lastScrape,
        job: t.labels.job,
        instance: t.labels.instance,
      }));
    if (targets.length === 0) {
      return {
        status: 'no_data',
        searched: `active targets with health ${args.health}${args.scrapePool ? ` in pool ${args.scrapePool}` : ''} on ${deps.baseUrl}`,
      };
    }
    const text = targets
      .map((t) => `${t.health} ${t.scrapePool} ${t.scrapeUrl}${t.lastError ? ` — ${t.lastError}` : ''}`)
      .join('\n');
    return { status: 'ok', data: { targets }, text };
  },
});
