/** Granting an approval the way the product does: bound to the call the host asked approval for. */
import type { ApprovalBinding } from '../../src/approvals/model.js';
import type { ToolHost } from '../../src/ports/tools.js';
import type { Store } from '../../src/store/index.js';

let seq = 0;

/** Stores an approval for `binding`, decided (approved) by `approver`; returns its id. */
export function approve(
  store: Store,
  binding: ApprovalBinding,
  now: number,
  approver = 'ou_boss',
  extra: { expiresAt?: number | null; id?: string } = {},
): string {
  const id = extra.id ?? `ap-granted-${++seq}`;
  store.approvals.create(
    {
      id,
      runId: null,
      incidentId: null,
      action: binding.tool,
      params: {},
      requestedBy: 'ou_op',
      chatId: null,
      expiresAt: extra.expiresAt ?? null,
      binding,
    },
    now,
  );
  if (!store.approvals.decide(id, 'approved', approver, now)) throw new Error(`could not approve ${id}`);
  return id;
}

/** Asks the host (as the LLM would) and approves exactly the call it names. */
export async function grant(
  host: ToolHost,
  store: Store,
  tool: string,
  args: Record<string, unknown>,
  now: number,
  approver = 'ou_boss',
): Promise<{ approvalId: string }> {
  const asked = await host.call(tool, args, { kind: 'llm' });
  if (asked.kind !== 'approval_required') throw new Error(`expected approval_required, got ${asked.kind}`);
  return { approvalId: approve(store, asked.binding, now, approver) };
}
