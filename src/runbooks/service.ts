/**
 * The remediation side assembled: the engine, the launcher (`RunbookLauncher`), the decider
 * (`ApprovalDecider`), the approval expiry timer, the card actions and the auto-fix entry point. `start()`
 * resumes the runs a previous process left moving and arms the expiry; `stop()` ends both.
 */
import type { Router } from '../app/router.js';
import { Decider } from '../approvals/decider.js';
import { approvalExpiryTimer } from '../approvals/expiry.js';
import { isAutoFix } from '../approvals/policy.js';
import { registerRunActions } from '../approvals/register.js';
import type { Finding } from '../diagnosis/finding.js';
import type { Incident } from '../incidents/model.js';
import type { RunRequestResult } from '../ports/remediation.js';
import type { RunDeps } from './deps.js';
import { RunbookEngine } from './engine.js';
import { Launcher } from './launcher.js';

export class Remediation {
  readonly engine: RunbookEngine;
  readonly launcher: Launcher;
  readonly decider: Decider;
  private readonly expiry;

  constructor(readonly deps: RunDeps) {
    this.engine = new RunbookEngine(deps);
    const start = (runId: string) => this.engine.kick(runId);
    this.launcher = new Launcher(deps, start);
    this.decider = new Decider(deps, start);
    this.expiry = approvalExpiryTimer(deps);
  }

  register(router: Router): void {
    registerRunActions(router, this.deps, this.launcher, this.decider);
  }

  start(): string[] {
    this.expiry.start();
    return this.engine.resume();
  }

  async stop(options: { wait?: boolean } = {}): Promise<void> {
    this.expiry.stop();
    await this.engine.stop(options);
  }

  /**
   * Auto-fix: every low-risk runbook the findings propose for an incident in an `approvals.low.auto_namespaces`
   * namespace is requested as an automatic run (verified and reported like any other). Others are left to a
   * person's click. Returns what each request answered.
   */
  async autoRemediate(incident: Incident, findings: readonly Finding[]): Promise<RunRequestResult[]> {
    const out: RunRequestResult[] = [];
    const seen = new Set<string>();
    for (const f of findings) {
      for (const s of f.runbooks) {
        const rb = this.deps.runbooks.get(s.id);
        const key = `${s.id}:${JSON.stringify(s.params)}`;
        if (
          !rb ||
          seen.has(key) ||
          !isAutoFix(this.deps.config, rb.risk, f.resource.namespace ?? incident.namespace ?? undefined)
        )
          continue;
        seen.add(key);
        out.push(
          await this.launcher.request({
            runbookId: s.id,
            params: s.params,
            incidentId: incident.id,
            requester: { openId: 'auto' },
            source: 'auto',
            reason: f.title,
          }),
        );
      }
    }
    return out;
  }
}
