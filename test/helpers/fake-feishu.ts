import type { CardJson, FeishuPort, SentMessage, UrgentMode } from '../../src/ports/feishu.js';

export interface SentCall {
  at: number;
  op: string;
  chatId?: string;
  messageId?: string;
  text?: string;
  card?: CardJson;
  uuid?: string;
}

/** An AxiosError-shaped failure, as the SDK throws it. */
export function httpError(status: number, code: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    isAxiosError: true,
    response: { status, data: { code, msg: `code ${code}` }, headers },
  });
}

/** A FeishuPort that records calls and fails on demand (`failNext` queue, consumed in order). */
export class FakeFeishu implements FeishuPort {
  readonly calls: SentCall[] = [];
  readonly failNext: unknown[] = [];
  private seq = 0;

  constructor(private readonly now: () => number) {}

  private attempt(call: Omit<SentCall, 'at'>): string {
    const failure = this.failNext.shift();
    if (failure) throw failure;
    this.calls.push({ at: this.now(), ...call });
    return `om_fake_${++this.seq}`;
  }

  async sendCard(chatId: string, card: CardJson, o: { uuid?: string } = {}): Promise<SentMessage> {
    return { messageId: this.attempt({ op: 'sendCard', chatId, card, ...(o.uuid ? { uuid: o.uuid } : {}) }) };
  }
  async sendText(chatId: string, text: string, o: { uuid?: string } = {}): Promise<SentMessage> {
    return { messageId: this.attempt({ op: 'sendText', chatId, text, ...(o.uuid ? { uuid: o.uuid } : {}) }) };
  }
  async reply(messageId: string, m: { msgType: string; content: string }): Promise<SentMessage> {
    return { messageId: this.attempt({ op: 'reply', messageId, text: m.content }) };
  }
  async patchCard(messageId: string, card: CardJson): Promise<void> {
    this.attempt({ op: 'patchCard', messageId, card });
  }
  async delayedCardUpdate(token: string, card: CardJson): Promise<void> {
    this.attempt({ op: 'delayedCardUpdate', text: token, card });
  }
  async urgent(messageId: string, mode: UrgentMode, _ids: string[]) {
    this.attempt({ op: `urgent_${mode}`, messageId });
    return { invalidUserIds: [] };
  }
  async botInfo() {
    return { openId: 'ou_bot', name: 'SRE Bot' };
  }
  async resolveEmails(): Promise<Map<string, string>> {
    return new Map();
  }
  async chatMembers() {
    return [];
  }
}
