/** One entry point for either digest (the scheduler, `/report` and the CLI verb use it). */
import type { CardJson } from '../ports/feishu.js';
import { buildDaily } from './daily.js';
import type { ReportDeps } from './deps.js';
import type { DigestFigures } from './digest.js';
import type { DigestKind } from './model.js';
import { buildWeekly } from './weekly.js';

export function buildDigest(
  kind: DigestKind,
  at: number,
  deps: ReportDeps,
): { figures: DigestFigures; card: CardJson } {
  switch (kind) {
    case 'daily':
      return buildDaily(at, deps);
    case 'weekly':
      return buildWeekly(at, deps);
    default: {
      const never: never = kind;
      return never;
    }
  }
}
