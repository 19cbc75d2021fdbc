/** Alertmanager matchers as tool arguments: zod-checked, rendered the way Alertmanager prints them. */
import { z } from 'zod';

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const MatcherSchema = z.strictObject({
  name: z.string().regex(LABEL_NAME, 'must be a label name such as alertname'),
  value: z.string().max(1000),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true).describe('false for != and !~'),
});
export type Matcher = z.infer<typeof MatcherSchema>;

/** A filter matcher in Alertmanager's text form (`alertname="KubePodCrashLooping"`, `namespace=~"shop|pay"`). */
export const filterMatcher = z
  .string()
  .max(1000)
  .regex(
    /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/,
    'must be a matcher such as alertname="KubePodCrashLooping"',
  );

export function renderMatcher(m: { name: string; value: string; isRegex: boolean; isEqual?: boolean }): string {
  const op = m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}
