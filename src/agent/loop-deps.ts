/** What one agent run needs, passed in (fakes in tests): the ports, the profile's toolset and budgets, callbacks. */
import type { Actor } from '../access/actor.js';
import type { Clock } from '../ports/clock.js';
import type { LlmPort } from '../ports/llm.js';
import type { RunbookLauncher } from '../ports/remediation.js';
import type { Caller, ToolHost } from '../ports/tools.js';
import type { Translate } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Budgets } from './budgets.js';
import type { PromptSet } from './prompts.js';
import type { RunState } from './run-state.js';
import type { Toolset } from './tool-specs.js';

export interface DelegateResult {
  summary: string;
  tokens: number;
  toolCalls: number;
  steps: number;
}

export interface LoopDeps {
  llm: LlmPort;
  tools?: ToolHost | undefined;
  prompts: PromptSet;
  clock: Clock;
  log: Logger;
  t: Translate;
  budgets: Budgets;
  toolset: Toolset;
  caller: Caller;
  /** Who the run acts for (approvals name them as requester). */
  requester: Actor;
  signal?: AbortSignal | undefined;
  /** Where a direct write call is turned into a runbook request with an approval card. */
  launcher?: RunbookLauncher | undefined;
  /** The runbooks a proposal may name. */
  catalogue?: (() => readonly import('../ports/remediation.js').RunbookSummary[]) | undefined;
  /** Asks another profile a focused question, within that profile's own budgets. */
  delegate?: ((profile: string, question: string) => Promise<DelegateResult>) | undefined;
  /** A progress line for the card (throttled by the caller). */
  onProgress?: ((line: string) => void) | undefined;
  /** Persist the state after each step (so an interruption or a crash loses nothing acknowledged). */
  persist?: ((state: RunState) => void) | undefined;
}
