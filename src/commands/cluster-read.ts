/** Runs one read tool for a command as the person who typed it and turns the result into a reply. */
import type { CommandEvent, Reply } from './define.js';
import { text } from './define.js';

export async function readTool(ev: CommandEvent, tool: string, args: Record<string, unknown>): Promise<Reply> {
  const { t, tools, actor } = ev.ctx;
  if (!tools) return text(t('command.noCluster'));
  ev.interim(t('command.working'));
  const r = await tools.call(tool, args, { kind: 'command', person: actor.openId });
  switch (r.kind) {
    case 'ok':
      return text(`\`\`\`\n${r.text}\n\`\`\``);
    case 'no_data':
      return text(t('command.noData', { searched: r.searched }));
    case 'error':
      return text(t('command.toolFailed', { reason: r.message }));
    case 'denied':
      return text(t('command.toolFailed', { reason: r.decision.reason }));
    case 'approval_required':
      return text(t('command.toolFailed', { reason: r.decision.reason }));
    default: {
      const never: never = r;
      return never;
    }
  }
}
