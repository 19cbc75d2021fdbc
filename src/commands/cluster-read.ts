/** Runs one read tool for a command as the person who typed it and turns the result into a reply. */
import type { CommandEvent, Reply } from './define.js';
import { text } from './define.js';

/** The tool's text when it answered, else the reply that says why not (no tools, no data, an error). */
export async function readToolOutput(
  ev: CommandEvent,
  tool: string,
  args: Record<string, unknown>,
): Promise<{ kind: 'output'; output: string } | Reply> {
  const { t, tools, actor } = ev.ctx;
  if (!tools) return text(t('command.noCluster'));
  ev.interim(t('command.working'));
  const r = await tools.call(tool, args, { kind: 'command', person: actor.openId });
  switch (r.kind) {
    case 'ok':
      return { kind: 'output', output: r.text };
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

/** The tool's text as a code block. */
export async function readTool(ev: CommandEvent, tool: string, args: Record<string, unknown>): Promise<Reply> {
  const r = await readToolOutput(ev, tool, args);
  return r.kind === 'output' ? text(`\`\`\`\n${r.output}\n\`\`\``) : r;
}
