/**
 * The sandbox's stand-in for a real model: asked about a workload (or to investigate an incident), it looks at
 * the pods with whatever pod-listing tool the bot offers; when the agent's tools are there it goes on like an
 * SRE — the crashing pod's previous logs, its events and the rollout history — proposes the rollback to the
 * previous revision (a Run button), and answers in the agent's sections from what the tools returned.
 * Deterministic, so the demo reads the same every time; connect a real model with
 * OPENAI_BASE_URL/OPENAI_API_KEY/OPENAI_MODEL.
 */
import {
  answer,
  callTools,
  messageText,
  type RecordedRequest,
  type Script,
  type ScriptedToolCall,
} from '../llm/index.js';

/** Generic listing tools take the kind as an argument (`k8s.resources_list`); pod tools do not. */
const LIST_TOOL = /(^|[._])resources?_list$/;
const POD_TOOL = /(^|[._])(pods?_list|list_pods|get_pods|pods)$/;

/** The call that lists pods in `namespace` with one of the offered tools, if any fits. */
function podListCall(request: RecordedRequest, namespace: string): ScriptedToolCall | undefined {
  const list = request.tools.find((t) => LIST_TOOL.test(t.name));
  if (list) return { name: list.name, arguments: { kind: 'pods', namespace } };
  const pods = request.tools.find((t) => POD_TOOL.test(t.name));
  return pods ? { name: pods.name, arguments: { namespace } } : undefined;
}

function lastUserText(request: RecordedRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user');
  return messageText(user);
}

/** The namespace named in a question (`-n shop`, `namespace shop`, `shop/checkout`), or the demo's. */
function namespaceOf(text: string): string {
  const m = /(?:-n\s+|namespace\s+)([a-z0-9-]+)/i.exec(text) ?? /\b([a-z0-9-]+)\/[a-z0-9-]+/.exec(text);
  return m?.[1] ?? 'shop';
}

const QUESTION = /what'?s wrong|why|status|broken|down|diagnos|investigate|怎么|为什么|故障|排查/i;

export function demoScript(): Script {
  return [
    // A question about the cluster, and the bot offers a pod tool: look first.
    callTools(
      (request) => {
        const call = podListCall(request, namespaceOf(lastUserText(request)));
        return call ? [call] : [];
      },
      {
        match: (request) =>
          request.messages.at(-1)?.role === 'user' &&
          podListCall(request, 'default') !== undefined &&
          QUESTION.test(messageText(request.messages.at(-1))),
        repeat: true,
      },
    ),
    // The pods showed a crash and the agent's tools are there: read the crashing pod's story.
    callTools((request) => followUpCalls(request), {
      match: (request) => request.messages.at(-1)?.role === 'tool' && followUpCalls(request).length > 0,
      repeat: true,
    }),
    // The rollout history is in: propose the rollback to the previous revision.
    callTools((request) => proposal(request), {
      match: (request) => request.messages.at(-1)?.role === 'tool' && proposal(request).length > 0,
      repeat: true,
    }),
    // A tool answered: summarise what it showed.
    answer((request) => investigationAnswer(request) ?? summarise(messageText(request.messages.at(-1))), {
      match: (request) => request.messages.at(-1)?.role === 'tool',
      repeat: true,
    }),
    // Anything else.
    answer(
      'I am the sandbox\'s scripted model. Ask me "what\'s wrong with checkout?" in the incident group, or connect a real model with OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL.',
      { match: () => true, repeat: true },
    ),
  ];
}

/** Names of the tools the assistant already called in this conversation. */
function called(request: RecordedRequest): Set<string> {
  const out = new Set<string>();
  for (const m of request.messages) for (const c of m.tool_calls ?? []) out.add(c.function.name);
  return out;
}

function toolOutputs(request: RecordedRequest): string {
  return request.messages
    .filter((m) => m.role === 'tool')
    .map((m) => messageText(m))
    .join('\n');
}

const offered = (request: RecordedRequest, re: RegExp) => request.tools.find((t) => re.test(t.name))?.name;

/** The crash-looping pod named in the tool outputs so far. */
function crashingPod(text: string): { pod: string; deployment: string } | undefined {
  const line = text
    .split('\n')
    .find((l) => /CrashLoopBackOff|Error|OOMKilled/.test(l) && /[a-z0-9]-[a-z0-9]{5}\b/.test(l));
  const pod = line && /\b([a-z0-9]([-a-z0-9]*[a-z0-9])?-[a-z0-9]{6,10}-[a-z0-9]{5})\b/.exec(line)?.[1];
  return pod ? { pod, deployment: pod.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '') } : undefined;
}

function followUpCalls(request: RecordedRequest): ScriptedToolCall[] {
  // Only the agent (it offers propose_runbook) gets the full investigation; other clients get the summary.
  const logs = offered(request, /(^|[._])pod_logs$/);
  if (!logs || called(request).has(logs) || !request.tools.some((t) => t.name === 'propose_runbook')) return [];
  const crash = crashingPod(toolOutputs(request));
  if (!crash) return [];
  const namespace = namespaceOf(messageText(request.messages.find((m) => m.role === 'user')));
  const calls: ScriptedToolCall[] = [
    { name: logs, arguments: { name: crash.pod, namespace, previous: true, tail: 50 } },
  ];
  const events = offered(request, /(^|[._])events_list$/);
  if (events) calls.push({ name: events, arguments: { namespace, kind: 'Pod', name: crash.pod, type: 'Warning' } });
  const history = offered(request, /(^|[._])rollout_history$/);
  if (history) calls.push({ name: history, arguments: { name: crash.deployment, namespace } });
  return calls;
}

/** `revision=N` lines of a rollout history: the current and the previous revision. */
function revisions(text: string): { current: number; previous: number } | undefined {
  const revs = [...text.matchAll(/\brevision=(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => b - a);
  return revs.length >= 2 ? { current: revs[0] as number, previous: revs[1] as number } : undefined;
}

function proposal(request: RecordedRequest): ScriptedToolCall[] {
  if (!request.tools.some((t) => t.name === 'propose_runbook') || called(request).has('propose_runbook')) return [];
  const text = toolOutputs(request);
  const revs = revisions(text);
  const crash = crashingPod(text);
  if (!revs || !crash) return [];
  const namespace = namespaceOf(messageText(request.messages.find((m) => m.role === 'user')));
  return [
    {
      name: 'propose_runbook',
      arguments: {
        runbook: 'deployment-rollback',
        params: { namespace, deployment: crash.deployment, to_revision: String(revs.previous) },
        reason: `the crash began with revision ${revs.current}; revision ${revs.previous} ran fine`,
      },
    },
  ];
}

/** The agent's sectioned answer, when the investigation read logs and history. */
function investigationAnswer(request: RecordedRequest): string | undefined {
  if (!called(request).has('propose_runbook')) return undefined;
  const text = toolOutputs(request);
  const crash = crashingPod(text);
  const revs = revisions(text);
  if (!crash || !revs) return undefined;
  const fatal = text.split('\n').find((l) => /FATAL|panic|Error|exception/i.test(l) && !/CrashLoopBackOff/.test(l));
  const finding = /\[F1\]/.test(messageText(request.messages[1])) ? ' [F1]' : '';
  return [
    '## Root cause',
    `The ${crash.deployment} container crashes at start since revision ${revs.current}; revision ${revs.previous} ran fine${finding}.`,
    '',
    '## Evidence',
    `- pods: \`${crash.pod}\` is in CrashLoopBackOff`,
    fatal
      ? `- previous container logs of \`${crash.pod}\`: \`${fatal.trim().slice(0, 160)}\``
      : `- previous container logs of \`${crash.pod}\` read`,
    `- rollout history: revision ${revs.current} is the current one, ${revs.previous} the one before`,
    '',
    '## Impact',
    `${crash.deployment} has no ready replica from the new revision; requests to it fail or queue.`,
    '',
    '## Next steps',
    `1. Roll back to revision ${revs.previous} with the **Run deployment-rollback** button (it asks for approval).`,
    `2. Fix what revision ${revs.current} changed before rolling forward again.`,
  ].join('\n');
}

function summarise(toolOutput: string): string {
  const findings = [
    /CrashLoopBackOff/i.test(toolOutput) && 'a container is in **CrashLoopBackOff** (it starts and exits again)',
    /OOMKilled/i.test(toolOutput) && 'a container was **OOMKilled** (memory limit too low for its load)',
    /ImagePullBackOff|ErrImagePull/i.test(toolOutput) && 'an image cannot be pulled (**ImagePullBackOff**)',
    /Pending/.test(toolOutput) && 'pods are **Pending** (not scheduled)',
  ].filter((f): f is string => typeof f === 'string');
  const excerpt = toolOutput.length > 600 ? `${toolOutput.slice(0, 600)}…` : toolOutput;
  if (findings.length === 0) {
    return `I looked at the pods and saw nothing failing right now.\n\n\`\`\`\n${excerpt}\n\`\`\``;
  }
  return [
    `What I see: ${findings.join('; ')}.`,
    'Likely cause: the latest rollout. Check the previous container logs, then roll back to the last good revision ' +
      '(the rollback runbook asks for approval on the incident card).',
    `\`\`\`\n${excerpt}\n\`\`\``,
  ].join('\n\n');
}
