/**
 * The app router: the receiver hands it typed card clicks and addressed messages, each with its EventContext;
 * features register handlers, each called with one args object (bolt-style):
 *
 *   router.onCardAction('ack', async ({ action, click, ctx }) => ({ toast: { type: 'success', content: '…' } }));
 *   router.onCommand('help', async ({ command, message, ctx }) => …, { usage: '/help', summary: 'message.key' });
 *   router.onMessage(async ({ message, ctx, next }) => …);   // a chain: call next() to pass a message on
 *   router.fallback(async ({ message, ctx }) => …);         // what answers a message nobody in the chain took
 *
 * A card handler must answer within Feishu's 3 s window (`ctx.deadline`); the receiver answers `{}`-plus-toast
 * itself when a handler runs late and delivers the card it eventually returns through the click's
 * delayed-update token.
 */
import {
  type CardAction,
  type CardActionName,
  type CardActionOf,
  parseCardAction,
  previewCardValue,
} from '../cards/actions.js';
import type { CardJson } from '../ports/feishu.js';
import type { MessageKey } from '../shared/i18n.js';
import type { EventContext } from './context.js';

/** Who clicked what, on which card. `token` is the card's delayed-update token (30 min, two uses). */
export interface CardClick {
  operatorOpenId: string;
  messageId: string;
  chatId: string;
  token: string;
  eventId: string;
}

export type ToastType = 'info' | 'success' | 'error' | 'warning';

export interface CardActionResult {
  toast?: { type: ToastType; content: string };
  /** The card as it should look now; replaces the clicked card immediately. */
  card?: CardJson;
}

export type CardActionHandler<N extends CardActionName = CardActionName> = (args: {
  action: CardActionOf<N>;
  click: CardClick;
  ctx: EventContext;
}) => Promise<CardActionResult>;

export interface Mention {
  /** The placeholder in the raw text, e.g. `@_user_1`. */
  key: string;
  openId: string;
  name: string;
  isBot: boolean;
}

/** A message addressed to the bot (a p2p message, or a group message that mentions it). */
export interface IncomingMessage {
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  /** Thread root when the message is a reply in a thread. */
  rootId?: string;
  parentId?: string;
  threadId?: string;
  senderOpenId: string;
  messageType: string;
  /** Plain text with every `@_user_N` replaced by `@Name`; mentions of the bot itself removed. */
  text: string;
  mentions: Mention[];
  mentionedBot: boolean;
  createTime: number;
}

export interface CommandInvocation {
  name: string;
  args: string[];
  /** Everything after the command name, as typed. */
  rest: string;
}

export type CommandHandler = (args: {
  command: CommandInvocation;
  message: IncomingMessage;
  ctx: EventContext;
}) => Promise<void>;

/** One link of the message chain: handle the message, or call `next()` to hand it to the next link. */
export type MessageHandler = (args: {
  message: IncomingMessage;
  ctx: EventContext;
  next: () => Promise<void>;
}) => Promise<void>;

/** The end of the chain: answers a message no link took. */
export type FallbackHandler = (args: { message: IncomingMessage; ctx: EventContext }) => Promise<void>;

export interface CommandInfo {
  name: string;
  /** How to type it, e.g. `/silence <id> <duration>`. */
  usage: string;
  /** Catalog key of a one-line description. */
  summary: MessageKey;
}

/**
 * Splits `/name arg1 arg2` (leading slash required); `undefined` for ordinary text. Mentions before the command
 * are skipped and a full-width slash or space (`／ack`) reads as its ASCII form (`@sre-nanobot /help`, `@bot /help`, a placeholder `@_user_1` left in the text): a person who
 * types the bot's name as well as picking it from the @ list still runs the command.
 */
export function parseCommand(text: string): CommandInvocation | undefined {
  const folded = text.replace(/／/g, '/').replace(/\u3000/g, ' ');
  const m = /^(?:\s*@[^\s/@]+)*\s*\/([A-Za-z][\w-]*)\s*([\s\S]*)$/.exec(folded);
  if (!m) return undefined;
  const rest = (m[2] ?? '').trim();
  return { name: (m[1] as string).toLowerCase(), args: rest ? rest.split(/\s+/) : [], rest };
}

export class Router {
  private readonly cardHandlers = new Map<CardActionName, CardActionHandler>();
  private readonly commandHandlers = new Map<string, { info: CommandInfo; handler: CommandHandler }>();
  private readonly messageChain: MessageHandler[] = [];
  private fallbackHandler: FallbackHandler | undefined;

  onCardAction<N extends CardActionName>(action: N, handler: CardActionHandler<N>): this {
    this.cardHandlers.set(action, handler as unknown as CardActionHandler);
    return this;
  }

  onCommand(name: string, handler: CommandHandler, info: Omit<CommandInfo, 'name'>): this {
    const key = name.replace(/^\//, '').toLowerCase();
    this.commandHandlers.set(key, { info: { name: key, ...info }, handler });
    return this;
  }

  /** Adds a link to the chain that addressed messages which are not commands go through, in registration order. */
  onMessage(handler: MessageHandler): this {
    this.messageChain.push(handler);
    return this;
  }

  /** Sets what answers an addressed message that every link passed on (one; the defaults register it). */
  fallback(handler: FallbackHandler): this {
    this.fallbackHandler = handler;
    return this;
  }

  /** Commands available in this build, in registration order. */
  commands(): CommandInfo[] {
    return [...this.commandHandlers.values()].map((c) => c.info);
  }

  hasCardAction(action: CardActionName): boolean {
    return this.cardHandlers.has(action);
  }

  /** Runs the handler for a clicked button value; never throws (an error becomes an error toast). */
  async dispatchCardAction(value: unknown, click: CardClick, ctx: EventContext): Promise<CardActionResult> {
    const { t } = ctx;
    const action: CardAction | undefined = parseCardAction(value);
    if (!action) {
      ctx.log.warn({ value: previewCardValue(value) }, 'card click with an unknown button value');
      return { toast: { type: 'warning', content: t('card.unknown_action') } };
    }
    const handler = this.cardHandlers.get(action.action);
    if (!handler) return { toast: { type: 'info', content: t('card.action_unavailable') } };
    try {
      return await handler({ action: action as never, click, ctx });
    } catch (err) {
      ctx.log.error({ err, action: action.action }, 'card action failed');
      return { toast: { type: 'error', content: t('error.internal', { ref: click.eventId.slice(0, 12) }) } };
    }
  }

  /**
   * Runs the command for an addressed message, or the message chain and then the fallback. Errors propagate
   * (the receiver records them).
   */
  async dispatchMessage(message: IncomingMessage, ctx: EventContext): Promise<void> {
    const command = parseCommand(message.text);
    if (command) {
      const entry = this.commandHandlers.get(command.name);
      if (entry) return entry.handler({ command, message, ctx });
    }
    const step = async (i: number): Promise<void> => {
      const link = this.messageChain[i];
      if (link) return link({ message, ctx, next: () => step(i + 1) });
      if (this.fallbackHandler) return this.fallbackHandler({ message, ctx });
      ctx.log.info('no message handler took the message; ignored');
    };
    return step(0);
  }
}
