/**
 * `silence_expire`: end a silence now (its alerts notify again). An expired silence stays expired (nothing to
 * do). The dry run expires nothing and says what the silence holds.
 */
import { z } from 'zod';
import { defineTool, type ToolOutcome, UpstreamError } from '../tool.js';
import { type AlertmanagerDeps, amRequest } from './client.js';
import { renderMatcher } from './matchers.js';
import type { Silence } from './silences-list.js';

const input = z.strictObject({
  id: z
    .string()
    .regex(
      /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
      'must be a silence id (a UUID, as silences_list shows)',
    ),
  dryRun: z.boolean().default(false).describe('expire nothing; show the silence'),
});

export const silenceExpireTool = defineTool({
  name: 'silence_expire',
  title: 'Expire an Alertmanager silence',
  description: 'End a silence now, so its alerts notify again. Already expired: nothing to do.',
  input,
  safetyClass: 'write',
  namespaceArg: null,
  dryRun: true,
  idempotent: true,
  async run(args, deps: AlertmanagerDeps): Promise<ToolOutcome> {
    let s: Silence;
    try {
      s = (await amRequest(deps, 'GET', `silence/${encodeURIComponent(args.id)}`)) as Silence;
    } catch (err) {
      if (err instanceof UpstreamError && err.upstream.status === 404)
        return {
          status: 'error',
          reason: 'request',
          message: `no silence ${args.id} in Alertmanager (${deps.baseUrl})`,
        };
      throw err;
    }
    const what = `${s.id} {${s.matchers.map(renderMatcher).join(', ')}} by ${s.createdBy}: ${s.comment}`;
    const base = { action: 'expire_silence', dryRun: args.dryRun, silenceId: s.id, state: s.status.state };
    if (s.status.state === 'expired')
      return {
        status: 'ok',
        data: { ...base, changes: [] },
        text: `silence ${what} is already expired; nothing to do`,
      };
    const change = { path: 'silence.status.state', from: s.status.state, to: 'expired' };
    if (args.dryRun)
      return {
        status: 'ok',
        data: { ...base, changes: [change] },
        text: `dry run — would expire silence ${what} (${s.status.state} until ${s.endsAt})`,
      };
    await amRequest(deps, 'DELETE', `silence/${encodeURIComponent(s.id)}`);
    return { status: 'ok', data: { ...base, changes: [change] }, text: `expired silence ${what}` };
  },
});
