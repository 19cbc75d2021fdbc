import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorChat, EmulatorUser, MsgType, StoredMessage, TranscriptEntry } from './types.js';

export interface Person extends EmulatorUser {
  unionId: string;
  userId: string;
}

export interface Chat extends Required<EmulatorChat> {}

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);

export function newMessageId(): string {
  return `om_${randomBytes(16).toString('hex')}`;
}

export function newEventId(): string {
  return randomBytes(16).toString('hex');
}

/** The emulated tenant: people, chats, messages and the transcript. In memory only. */
export class World {
  readonly tenantKey: string;
  readonly users = new Map<string, Person>();
  readonly chats = new Map<string, Chat>();
  readonly messages = new Map<string, StoredMessage>();
  readonly transcript: TranscriptEntry[] = [];
  private messageSeq = 0;
  private transcriptSeq = 0;
  private readonly listeners = new Set<(m: StoredMessage) => void>();
  /** Oldest transcript entries are dropped beyond this many. */
  static readonly TRANSCRIPT_LIMIT = 20_000;

  constructor(
    appId: string,
    readonly bot: { openId: string; name: string },
    users: EmulatorUser[],
    chats: EmulatorChat[],
  ) {
    this.tenantKey = hex(`tenant:${appId}`, 16);
    for (const u of users) this.users.set(u.openId, this.person(u));
    for (const c of chats) this.chats.set(c.chatId, { ...c, members: [...c.members], botInChat: c.botInChat ?? true });
  }

  person(u: EmulatorUser): Person {
    return { ...u, unionId: `on_${hex(`union:${u.openId}`, 32)}`, userId: hex(`user:${u.openId}`, 8) };
  }

  userByAnyId(idType: string, id: string): Person | undefined {
    for (const u of this.users.values()) {
      if (idType === 'open_id' && u.openId === id) return u;
      if (idType === 'union_id' && u.unionId === id) return u;
      if (idType === 'user_id' && u.userId === id) return u;
      if (idType === 'email' && u.email !== undefined && u.email.toLowerCase() === id.toLowerCase()) return u;
    }
    return undefined;
  }

  /** The p2p chat between the bot and a user, created the first time it is needed. */
  p2pChatWith(user: Person): Chat {
    for (const c of this.chats.values()) {
      if (c.type === 'p2p' && c.members.length === 1 && c.members[0] === user.openId) return c;
    }
    const chat: Chat = {
      chatId: `oc_${hex(`p2p:${user.openId}`, 32)}`,
      name: user.name,
      type: 'p2p',
      members: [user.openId],
      botInChat: true,
    };
    this.chats.set(chat.chatId, chat);
    return chat;
  }

  nameOf(openId: string): string {
    if (openId === this.bot.openId) return this.bot.name;
    return this.users.get(openId)?.name ?? openId;
  }

  addMessage(m: {
    chatId: string;
    sender: StoredMessage['sender'];
    msgType: MsgType;
    content: string;
    now: number;
    rootId?: string;
    parentId?: string;
    threadId?: string;
    uuid?: string;
    mentions?: StoredMessage['mentions'];
  }): StoredMessage {
    const msg: StoredMessage = {
      seq: ++this.messageSeq,
      messageId: newMessageId(),
      chatId: m.chatId,
      sender: m.sender,
      msgType: m.msgType,
      content: m.content,
      createTime: m.now,
      updateTime: m.now,
      updateCount: 0,
      urgent: [],
      toasts: [],
    };
    if (m.rootId) msg.rootId = m.rootId;
    if (m.parentId) msg.parentId = m.parentId;
    if (m.threadId) msg.threadId = m.threadId;
    if (m.uuid) msg.uuid = m.uuid;
    if (m.mentions) msg.mentions = m.mentions;
    this.messages.set(msg.messageId, msg);
    this.changed(msg);
    return msg;
  }

  /** Replaces a message's content (card PATCH, text PUT, callback card, delayed update). */
  updateContent(m: StoredMessage, content: string, now: number): void {
    m.content = content;
    m.updateTime = now;
    m.updateCount++;
    this.changed(m);
  }

  /** Tells listeners a message was added or changed (content, urgent, toasts). */
  changed(m: StoredMessage): void {
    for (const fn of [...this.listeners]) fn(m);
  }

  onChange(fn: (m: StoredMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  messagesOf(chatId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.chatId === chatId).sort((a, b) => a.seq - b.seq);
  }

  record(entry: Omit<TranscriptEntry, 'seq'>): TranscriptEntry {
    const full = { seq: ++this.transcriptSeq, ...entry };
    this.transcript.push(full);
    if (this.transcript.length > World.TRANSCRIPT_LIMIT)
      this.transcript.splice(0, this.transcript.length - World.TRANSCRIPT_LIMIT);
    return full;
  }
}
