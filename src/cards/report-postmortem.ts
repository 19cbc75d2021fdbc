/**
 * The postmortem as a long card (`cards/report-postmortem.json`): the markdown document under a header saying
 * how it was written. Markup that could mention people or run as HTML is neutralised (`<` and `>`), headings and
 * lists stay; the template loader cuts the card to Feishu's 30 KB.
 */

import type { CardJson } from '../ports/feishu.js';
import type { Postmortem } from '../reports/postmortem.js';
import type { Translate } from '../shared/i18n.js';
import { escapeMarkdown, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export function renderPostmortemCard(incidentId: number, pm: Postmortem, t: Translate): CardJson {
  const title = t('postmortem.card.title', { id: incidentId });
  const subtitle = pm.by === 'llm' ? t('postmortem.card.llm') : t('postmortem.card.draft');
  const notice =
    pm.by === 'timeline' && pm.llmError
      ? [{ tag: 'markdown', content: t('command.incident.postmortemLlmFailed', { why: escapeMarkdown(pm.llmError) }) }]
      : [];
  return renderTemplate('report-postmortem', {
    summary: plainText(title),
    title: plainText(title),
    subtitle: plainText(subtitle),
    color: pm.by === 'llm' ? 'purple' : 'wathet',
    notice,
    document: pm.markdown.replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  });
}
