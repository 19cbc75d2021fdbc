/** `/report daily|weekly`: the digest of the last complete day or week, posted here now. */
import { z } from 'zod';
import { buildDigest } from '../reports/digests.js';
import { DigestKindSchema } from '../reports/model.js';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const reportCommand = defineCommand({
  name: 'report',
  usage: '/report daily|weekly',
  summary: 'command.report',
  args: positionalOnly(
    z.tuple([
      z
        .string()
        .transform((s) => s.toLowerCase())
        .pipe(DigestKindSchema),
    ]),
  ),
  permission: 'report.read',
  async run(a, ev) {
    const reports = ev.deps.reports;
    if (!reports) return text(ev.ctx.t('command.report.unavailable'));
    const { card } = buildDigest(a.positional[0], reports.clock.now(), reports);
    return { kind: 'card', card };
  },
});
