/**
 * The sandbox's stand-in for a real model: asked about a workload, it looks at the pods with whatever pod-listing
 * tool the bot offers, then answers from what the tool returned. Deterministic, so the demo reads the same
 * every time; connect a real model with OPENAI_BASE_URL/OPENAI_API_KEY/OPENAI_MODEL.
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
    // A tool answered: summarise what it showed.
    answer((request) => summarise(messageText(request.messages.at(-1))), {
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
