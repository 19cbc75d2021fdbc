import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../src/diagnosis/finding.js';
import { answer, callTools } from '../../../src/sandbox/llm/index.js';
import { messageText } from '../../../src/sandbox/llm/script.js';
import { scripted } from './setup.js';
import { agentWorld } from './world.js';

describe('conversations', () => {
  it('remembers a thread across two messages, and /reset forgets it', async () => {
    const { server, llm } = await scripted([
      answer('## Root cause\ncheckout is fine; the error rate is 0.1 %.'),
      answer('## Root cause\nYes: the same pods as before.'),
      answer('## Root cause\nWhich pods do you mean?'),
    ]);
    const w = agentWorld({ llm });
    await w.send('how is checkout doing?', { rootId: 'om_thread', threadId: 'omt_1' });
    await w.send('and is that the same pods as before?', { rootId: 'om_thread', threadId: 'omt_1' });
    const second = server.requests[1]?.messages.map((m) => messageText(m)).join('\n') ?? '';
    expect(second).toContain('how is checkout doing?');
    expect(second).toContain('the error rate is 0.1 %');
    expect(w.cards().some((c) => c.includes('Yes: the same pods as before.'))).toBe(true);

    await w.send('/reset', { rootId: 'om_thread', threadId: 'omt_1' });
    expect(w.replies().some((r) => /forgot|忘|cleared|reset/i.test(r))).toBe(true);
    await w.send('and now?', { rootId: 'om_thread', threadId: 'omt_1' });
    const third = server.requests[2]?.messages.map((m) => messageText(m)).join('\n') ?? '';
    expect(third).not.toContain('how is checkout doing?');
    expect(third).toContain('and now?');
    // Another thread never saw this one.
    expect(third).not.toContain('the error rate');
  });

  it('trims memory to its token budget, tool notes first', async () => {
    const { ConversationsRepo } = await import('../../../src/store/repos/conversations.js');
    const { trim } = await import('../../../src/agent/memory.js');
    const w = agentWorld();
    const repo: InstanceType<typeof ConversationsRepo> = w.h.store.conversations;
    const conv = repo.getOrCreate('oc_x', '', 0);
    const add = (role: 'user' | 'assistant' | 'tool', content: string) =>
      repo.addMessage(conv.id, { role, author: null, content, toolCalls: null, toolCallId: null }, 0);
    add('user', 'q1');
    add('tool', 'x'.repeat(4000));
    add('assistant', 'a1');
    add('user', 'q2');
    add('assistant', 'a2');
    const kept = trim(repo.recent(conv.id, 100), 50);
    expect(kept.map((m) => m.content)).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect(trim(repo.recent(conv.id, 100), 2).map((m) => m.content)).toEqual(['q2', 'a2']);
  });

  it('a secret pasted into a question reaches neither the model nor the memory', async () => {
    const { server, llm } = await scripted([answer('## Root cause\nnoted.')]);
    const w = agentWorld({ llm });
    await w.send('db fails with password=hunter2hunter2, why?');
    const sent = server.requests[0]?.messages.map((m) => messageText(m)).join('\n') ?? '';
    expect(sent).toContain('db fails with');
    expect(sent).not.toContain('hunter2hunter2');
    const stored = w.h.store.db.prepare('SELECT content FROM messages').all() as { content: string }[];
    expect(stored.some((r) => r.content.includes('db fails with'))).toBe(true);
    expect(stored.some((r) => r.content.includes('hunter2hunter2'))).toBe(false);
  });

  it('in an incident thread the incident is the context', async () => {
    const { server, llm } = await scripted([answer('## Root cause\nThe incident is about shop.')]);
    const w = agentWorld({ llm });
    await w.send('what is going on here?', { rootId: 'om_card', threadId: 'omt_card' });
    const sent = server.requests[0]?.messages.map((m) => messageText(m)).join('\n') ?? '';
    expect(sent).toContain(`Incident #${w.incidentId}`);
    expect(sent).toContain('<untrusted_data source="alertmanager">');
  });
});

describe('without an LLM', () => {
  const diagnosis = (target: string): Diagnosis =>
    ({
      cluster: 'sim',
      target,
      at: '2026-11-25T08:00:00Z',
      durationMs: 12,
      verdict: 'problems',
      findings: [
        {
          id: 'pod.crash_loop:shop/deployment/checkout',
          pattern: 'pod.crash_loop',
          severity: 'critical',
          resource: { cluster: 'sim', kind: 'deployment', namespace: 'shop', name: 'checkout' },
          title: 'checkout is crash-looping',
          cause: 'container checkout exits: FATAL DATABASE_URL is not set',
          evidence: [],
          confidence: 'high',
          runbooks: [],
          affected: [],
          affectedCount: 1,
          folded: [],
        },
      ],
      checked: [{ kind: 'pod', count: 3 }],
      problems: [],
    }) as unknown as Diagnosis;

  it('a mention naming a workload gets the engine findings and the line about OPENAI_*', async () => {
    const scopes: unknown[] = [];
    const w = agentWorld({
      diagnose: async (s) => {
        scopes.push(s);
        return diagnosis('shop/deployment/checkout');
      },
    });
    await w.send('what is wrong with shop/checkout?');
    expect(scopes).toEqual([
      { kind: 'resource', ref: { cluster: '', kind: 'deployment', namespace: 'shop', name: 'checkout' } },
    ]);
    const r = w.replies().at(-1) ?? '';
    expect(r).toContain('checkout is crash-looping');
    expect(r).toContain('OPENAI_BASE_URL');
    expect(r).toContain('OPENAI_MODEL');
  });

  it('in an incident thread: the incident is diagnosed', async () => {
    const scopes: { kind: string }[] = [];
    const w = agentWorld({
      diagnose: async (s) => {
        scopes.push(s);
        return diagnosis('incident');
      },
    });
    await w.send('anything?', { rootId: 'om_card', threadId: 'omt_card' });
    expect(scopes[0]?.kind).toBe('incident');
    expect(w.replies().at(-1)).toContain('OPENAI_API_KEY');
  });

  it('a message naming nothing goes on to the fallback; investigations say what is missing', async () => {
    const w = agentWorld({ diagnose: async () => diagnosis('x') });
    await w.send('hello there');
    expect(w.replies().at(-1)).not.toContain('OPENAI_BASE_URL');
    await w.agent.investigator.investigate({
      incidentId: w.incidentId,
      chatId: 'oc_shop',
      replyTo: 'om_card',
      findings: [],
      actor: { openId: 'ou_alice' },
    });
    expect(w.replies().at(-1)).toContain('OPENAI_BASE_URL');
  });
});

describe('a conversation may use tools', () => {
  it('reads with caller llm and posts the progress then the answer on one card', async () => {
    const { llm } = await scripted([
      callTools([{ name: 'k8s__resources_list', arguments: { kind: 'pods', namespace: 'shop' } }]),
      answer('## Root cause\ncheckout-7d9f-x2x9q is in CrashLoopBackOff.'),
    ]);
    const w = agentWorld({
      llm,
      recordings: [
        { tool: 'k8s.resources_list', args: {}, result: { kind: 'ok', text: 'checkout-7d9f-x2x9q CrashLoopBackOff' } },
      ],
    });
    await w.send('pods in shop?');
    expect(w.tools.calls.map((c) => [c.name, c.caller.kind, c.caller.person])).toEqual([
      ['k8s.resources_list', 'llm', 'ou_alice'],
    ]);
    const posted = w.h.messages().filter((m) => m.kind === 'reply' || m.kind === 'patch_card');
    expect(posted[0]).toMatchObject({ kind: 'reply', msgType: 'interactive', cardKey: 'agent:ar_1' });
    expect(posted.slice(1).every((m) => m.kind === 'patch_card' && m.cardKey === 'agent:ar_1')).toBe(true);
    expect(w.cards().at(-1)).toContain('CrashLoopBackOff');
    expect(w.cards().at(-1)).toMatch(/2 steps · 1 tool calls · \d+ tokens/);
  });
});
