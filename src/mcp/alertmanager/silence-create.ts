/**
 * `silence_create`: a silence for the alerts its matchers select, for a bounded time (at most 7 days), with
 * who and why. An identical current silence (same matchers and comment) is returned instead of a second one,
 * so a retried call silences once. The dry run creates nothing and lists the alerts the silence would hold —
 * what the approval card shows.
 */
import { z } from 'zod';
import { parseDuration } from '../../shared/duration.js';
import { defineTool, type ToolOutcome } from '../tool.js';
import { type AlertmanagerDeps, amRequest } from './client.js';
import { type Matcher, MatcherSchema, renderMatcher } from './matchers.js';
import type { Silence } from './silences-list.js';

const MAX_MS = 7 * 24 * 3_600_000;

const input = z.strictObject({
  matchers: z
    .array(MatcherSchema)
    .min(1)
    .max(20)
    .describe('label matchers; every one must hold for an alert to be silenced'),
  duration: z
    .string()
    .refine((s) => {
      const ms = parseDuration(s);
      return ms !== undefined && ms >= 60_000 && ms <= MAX_MS;
    }, 'must be a duration between 1m and 7d, such as 2h')
    .describe('how long, such as 2h (1m to 7d)'),
  comment: z.string().min(3).max(500).describe('why, shown in Alertmanager'),
  createdBy: z.string().min(1).max(200).default('sre-nanobot').describe('who asked for it'),
  dryRun: z.boolean().default(false).describe('create nothing; list the alerts the silence would hold'),
});

const same = (a: Silence['matchers'], b: Matcher[]) => {
  const key = (m: { name: string; value: string; isRegex: boolean; isEqual?: boolean }) => renderMatcher(m);
  return [...a.map(key)].sort().join('\n') === [...b.map(key)].sort().join('\n');
};

export const silenceCreateTool = defineTool({
  name: 'silence_create',
  title: 'Create an Alertmanager silence',
  description:
    'Silence the alerts matching the matchers for a duration (1m–7d), with a comment. An identical current ' +
    'silence is reused. Dry run: lists the alerts it would silence.',
  input,
  safetyClass: 'write',
  namespaceArg: null,
  dryRun: true,
  idempotent: true,
  async run(args, deps: AlertmanagerDeps): Promise<ToolOutcome> {
    const filter = args.matchers.map((m): [string, string] => ['filter', renderMatcher(m)]);
    const matching = (await amRequest(deps, 'GET', 'alerts', [
      ...filter,
      ['silenced', 'false'],
      ['inhibited', 'true'],
    ])) as {
      labels: Record<string, string>;
      fingerprint: string;
    }[];
    const affected = matching.map((a) => ({
      fingerprint: a.fingerprint,
      alertname: a.labels.alertname,
      labels: a.labels,
    }));
    const what = `{${args.matchers.map(renderMatcher).join(', ')}}`;
    const startsAt = new Date(deps.now()).toISOString();
    const endsAt = new Date(deps.now() + (parseDuration(args.duration) ?? 0)).toISOString();
    const list = affected.length
      ? affected.map(
          (a) =>
            `  ${a.alertname ?? '?'} ${Object.entries(a.labels)
              .filter(([k]) => k !== 'alertname')
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`,
        )
      : ['  (no alert fires with these labels now; the silence would hold future ones)'];
    const existing = ((await amRequest(deps, 'GET', 'silences', filter)) as Silence[]).find(
      (s) => s.status.state !== 'expired' && s.comment === args.comment && same(s.matchers, args.matchers),
    );
    const base = { action: 'silence', dryRun: args.dryRun, matchers: args.matchers, endsAt, affected };
    if (existing) {
      return {
        status: 'ok',
        data: { ...base, silenceId: existing.id, reused: true, endsAt: existing.endsAt, changes: [] },
        text: `already silenced by ${existing.id} ${what} until ${existing.endsAt}; nothing created\n${list.join('\n')}`,
      };
    }
    const change = { path: 'silence', from: null, to: `${what} until ${endsAt}` };
    if (args.dryRun) {
      return {
        status: 'ok',
        data: { ...base, changes: [change] },
        text: `dry run — would silence ${what} until ${endsAt} (${args.duration}): ${args.comment}\n${affected.length} alert(s) now:\n${list.join('\n')}`,
      };
    }
    const created = (await amRequest(deps, 'POST', 'silences', [], {
      matchers: args.matchers,
      startsAt,
      endsAt,
      createdBy: args.createdBy,
      comment: args.comment,
    })) as { silenceID?: string };
    if (!created?.silenceID)
      return { status: 'error', reason: 'upstream', message: 'Alertmanager answered without a silenceID' };
    return {
      status: 'ok',
      data: { ...base, silenceId: created.silenceID, reused: false, changes: [change] },
      text: `silenced ${what} until ${endsAt} as ${created.silenceID}: ${args.comment}\n${affected.length} alert(s) held:\n${list.join('\n')}`,
    };
  },
});
