/**
 * The message catalog, assembled from one part per feature. A feature adds its strings as a part here
 * (`export const fooMessages = { 'en-US': {…}, 'zh-CN': {…} } as const satisfies …`) and spreads it below;
 * a test checks that every key exists in every locale.
 */
import { agentMessages } from './agent.js';
import { commandsMessages } from './commands.js';
import { consoleMessages } from './console.js';
import { coreMessages } from './core.js';
import { diagnosisMessages } from './diagnosis.js';
import { reportMessages } from './reports.js';
import { runbookMessages } from './runbooks.js';

export const catalog = {
  'en-US': {
    ...coreMessages['en-US'],
    ...runbookMessages['en-US'],
    ...commandsMessages['en-US'],
    ...diagnosisMessages['en-US'],
    ...reportMessages['en-US'],
    ...agentMessages['en-US'],
    ...consoleMessages['en-US'],
  },
  'zh-CN': {
    ...coreMessages['zh-CN'],
    ...runbookMessages['zh-CN'],
    ...commandsMessages['zh-CN'],
    ...diagnosisMessages['zh-CN'],
    ...reportMessages['zh-CN'],
    ...agentMessages['zh-CN'],
    ...consoleMessages['zh-CN'],
  },
} as const;
