/**
 * The remediation and investigation ports: how the chat (commands, card buttons), the agent, the console and
 * the reports reach the runbook engine, the approvals and the agent without importing them. The runbook engine
 * (`src/runbooks/`, `src/approvals/`) implements `RunbookLauncher` and `ApprovalDecider`; the agent
 * (`src/agent/`) implements `Investigator`. Each caller takes the port as an optional dependency and says
 * plainly when it is absent. The composition root puts the launcher and the decider on the app context
 * (`ctx.launcher`, `ctx.approvals`), with `ctx.autoRemediate(incident, findings)` for auto-fix.
 */
import type { Actor } from '../access/actor.js';
import type { Finding } from '../diagnosis/finding.js';
import type { Phase } from '../runbooks/run-state.js';
import type { Category, Risk } from '../runbooks/schema.js';

/** Where a run request came from: shown on the approval card and in the audit log. */
export type RunSource = 'button' | 'command' | 'agent' | 'auto' | 'console';

export interface RunRequest {
  runbookId: string;
  /** Parameters as text, as a card value or `key=value` carries them; the engine validates and types them. */
  params: Record<string, string>;
  /** The incident the run is for: its cluster, namespace and chat are implied. */
  incidentId?: number;
  requester: Actor;
  /** The chat the approval card and the progress go to (the incident's chat when an incident is given). */
  chatId?: string;
  /**
   * The message the request came from (the incident card). The run card is still a message of its own in the
   * chat — one message per run, patched in place — and the run's replies go under that card.
   */
  replyTo?: string;
  source: RunSource;
  /** Why it is proposed, e.g. the finding's title or the agent's reason; shown on the approval card. */
  reason?: string;
}

/** Why a run request was refused, as a code a caller may branch on and a sentence it shows. */
export type RunRefusal =
  | 'unknown_runbook'
  | 'bad_params'
  | 'forbidden'
  | 'protected_namespace'
  | 'namespace_not_allowed'
  | 'busy'
  | 'cooldown'
  | 'precondition_failed'
  | 'unavailable';

export type RunRequestResult =
  | { ok: true; runId: string; phase: Phase; approvalId?: string; duplicate?: boolean }
  | { ok: false; code: RunRefusal; reason: string };

/** The catalogue entry a picker, `/runbooks` or the console lists. */
export interface RunbookSummary {
  id: string;
  title: string;
  description: string;
  category: Category;
  risk: Risk;
  /** Parameter names with whether each is required and its default, in declaration order. */
  params: { name: string; required: boolean; default?: string; description?: string }[];
}

export interface RunbookLauncher {
  /** Validates, checks policy, records the run and its approval (or starts it when no approval is needed). */
  request(req: RunRequest): Promise<RunRequestResult>;
  /** The loaded runbooks, in the locale's words. */
  catalogue(): readonly RunbookSummary[];
}

export type DecideResult =
  | { ok: true; status: 'approved' | 'rejected' | 'pending'; votes: number; needed: number }
  | { ok: false; code: 'not_found' | 'forbidden' | 'already_decided' | 'expired' | 'duplicate_vote'; reason: string };

export interface ApprovalDecider {
  /** Takes one person's decision on an approval, exactly once, whatever the double clicks and races. */
  decide(approvalId: string, actor: Actor, decision: 'approve' | 'reject', reason?: string): Promise<DecideResult>;
}

export interface InvestigationRequest {
  incidentId: number;
  chatId: string;
  /** The incident card's message: the investigation is posted in its thread. */
  replyTo?: string;
  /** The engine's findings, already posted; the investigation starts from them and cites them. */
  findings: readonly Finding[];
  actor: Actor;
}

export interface Investigator {
  /** Starts an investigation in the background; resolves once it is accepted (not when it is done). */
  investigate(req: InvestigationRequest): Promise<void>;
}
