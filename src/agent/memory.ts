/**
 * Conversation memory per chat thread, over ConversationsRepo: the question and the answer of each turn (plus
 * the tool results the model read, so a follow-up can refer to them), loaded back trimmed to a token budget —
 * tool outputs are dropped first, oldest first, then the oldest turns. `/reset` forgets the thread.
 * Tokens are estimated at four characters each (no tokenizer for every provider).
 */
import type { ChatMessage } from '../ports/llm.js';
import { redactText } from '../shared/redact.js';
import type { ConversationsRepo, StoredMessage } from '../store/repos/conversations.js';
import { frameData } from './tool-message.js';

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const WINDOW = 200;

export class ConversationMemory {
  constructor(
    private readonly repo: ConversationsRepo,
    private readonly budgetTokens: number,
  ) {}

  conversation(chatId: string, threadKey: string, now: number, incidentId: number | null) {
    return this.repo.getOrCreate(chatId, threadKey, now, incidentId);
  }

  /** The remembered turns as chat messages, within the budget. */
  load(conversationId: number): ChatMessage[] {
    return trim(this.repo.recent(conversationId, WINDOW), this.budgetTokens).map(toChat);
  }

  /** Stores one turn, redacted (a secret pasted into a question is not kept). */
  remember(
    conversationId: number,
    question: { author: string; text: string },
    toolNotes: string[],
    answer: string,
    now: number,
  ): void {
    this.repo.addMessage(
      conversationId,
      { role: 'user', author: question.author, content: redactText(question.text), toolCalls: null, toolCallId: null },
      now,
    );
    for (const note of toolNotes) {
      this.repo.addMessage(
        conversationId,
        { role: 'tool', author: null, content: redactText(note), toolCalls: null, toolCallId: null },
        now,
      );
    }
    this.repo.addMessage(
      conversationId,
      { role: 'assistant', author: null, content: redactText(answer), toolCalls: null, toolCallId: null },
      now,
    );
  }
}

/** Keeps the newest messages within `budget` tokens: tool notes go first (oldest first), then whole turns. */
export function trim(messages: readonly StoredMessage[], budget: number): StoredMessage[] {
  const kept = [...messages];
  let total = kept.reduce((n, m) => n + estimateTokens(m.content), 0);
  for (let i = 0; i < kept.length && total > budget; ) {
    const m = kept[i] as StoredMessage;
    if (m.role === 'tool') {
      total -= estimateTokens(m.content);
      kept.splice(i, 1);
    } else i++;
  }
  while (total > budget && kept.length > 0) {
    const m = kept.shift() as StoredMessage;
    total -= estimateTokens(m.content);
  }
  while (kept[0] && kept[0].role !== 'user') kept.shift();
  return kept;
}

function toChat(m: StoredMessage): ChatMessage {
  switch (m.role) {
    case 'user':
      return {
        role: 'user',
        content: frameData('untrusted_data', { source: 'chat', author: m.author ?? 'user' }, m.content),
      };
    case 'assistant':
      return { role: 'assistant', content: m.content };
    case 'tool':
      // Stored outside a tool-call exchange: handed back as context the assistant saw, still framed as data.
      return { role: 'user', content: `Earlier tool result (for reference):\n${m.content}` };
    case 'system':
      return { role: 'system', content: m.content };
    default: {
      const never: never = m.role;
      return never;
    }
  }
}
