/** The weekly digest: the last complete Monday-to-Sunday week before `at` in TZ, as figures and as its card. */
import { renderDigestCard } from '../cards/report-digest.js';
import type { CardJson } from '../ports/feishu.js';
import type { ReportDeps } from './deps.js';
import { type DigestFigures, digestFigures } from './digest.js';

export function buildWeekly(at: number, deps: ReportDeps): { figures: DigestFigures; card: CardJson } {
  const figures = digestFigures('weekly', at, deps);
  return { figures, card: renderDigestCard(figures, deps.t, deps.config.timezone) };
}
