/**
 * The app router: the receiver hands it typed card clicks and addressed messages; features register handlers.
 *
 *   router.onCardAction('ack', async (action, click, ctx) => ({ toast: { type: 'success', content: '…' } }));
 *   router.onCommand('help', handler, { usage: '/help', summary: 'message.key' });
 *   router.onMessage(handler);   // mentions and p2p messages that are not commands
 *
 * A card handler must answer within Feishu's 3 s window; the receiver answers `{}`-plus-toast itself when a
 * handler runs late and delivers the card it eventually returns through the click's delayed-update token.
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
import type { AppContext } from './context.js';
import { translate } from './reply.js';

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

export type CardActionHandler<N extends CardActionName = CardActionName> = (
  action: CardActionOf<N>,
  click: CardClick,
  ctx: AppContext,
) => Promise<CardActionResult>;

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

export type CommandHandler = (cmd: CommandInvocation, msg: IncomingMessage, ctx: AppContext) => Promise<void>;
export type MessageHandler = (msg: IncomingMessage, ctx: AppContext) => Promise<void>;

export interface CommandInfo {
  name: string;
  /** How to type it, e.g. `/silence <id> <duration>`. */
  usage: string;
  /** Catalog key of a one-line description. */
  summary: MessageKey;
}

/**
 * Splits `/name arg1 arg2` (leading slash required); `undefined` for ordinary text. Mentions before the command
 * are skipped (`@sre-nanobot /help`, `@bot /help`, a placeholder `@_user_1` left in the text): a person who
 * types the bot's name as well as picking it from the @ list still runs the command.
 */
export function parseCommand(text: string): CommandInvocation | undefined {
  const m = /^(?:\s*@[^\s/@]+)*\s*\/([A-Za-z][\w-]*)\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const rest = (m[2] ?? '').trim();
  return { name: (m[1] as string).toLowerCase(), args: rest ? rest.split(/\s+/) : [], rest };
}

export class Router {
  private readonly cardHandlers = new Map<CardActionName, CardActionHandler>();
  private readonly commandHandlers = new Map<string, { info: CommandInfo; handler: CommandHandler }>();
  private messageHandler: MessageHandler | undefined;

  onCardAction<N extends CardActionName>(action: N, handler: CardActionHandler<N>): this {
    this.cardHandlers.set(action, handler as unknown as CardActionHandler);
    return this;
  }

  onCommand(name: string, handler: CommandHandler, info: Omit<CommandInfo, 'name'>): this {
    const key = name.replace(/^\//, '').toLowerCase();
    this.commandHandlers.set(key, { info: { name: key, ...info }, handler });
    return this;
  }

  /** The fallback for addressed messages that are not commands (one handler; the latest registration wins). */
  onMessage(handler: MessageHandler): this {
    this.messageHandler = handler;
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
  async dispatchCardAction(value: unknown, click: CardClick, ctx: AppContext): Promise<CardActionResult> {
    const t = translate(ctx);
    const action: CardAction | undefined = parseCardAction(value);
    if (!action) {
      ctx.log.warn(
        { eventId: click.eventId, value: previewCardValue(value) },
        'card click with an unknown button value',
      );
      return { toast: { type: 'warning', content: t('card.unknown_action') } };
    }
    const handler = this.cardHandlers.get(action.action);
    if (!handler) return { toast: { type: 'info', content: t('card.action_unavailable') } };
    try {
      return await handler(action as never, click, ctx);
    } catch (err) {
      ctx.log.error({ err, eventId: click.eventId, action: action.action }, 'card action failed');
      return { toast: { type: 'error', content: t('error.internal', { ref: click.eventId.slice(0, 12) }) } };
    }
  }

  /** Runs the command or message handler for an addressed message. Errors propagate (the receiver records them). */
  async dispatchMessage(msg: IncomingMessage, ctx: AppContext): Promise<void> {
    const cmd = parseCommand(msg.text);
    if (cmd) {
      const entry = this.commandHandlers.get(cmd.name);
      if (entry) return entry.handler(cmd, msg, ctx);
    }
    if (this.messageHandler) return this.messageHandler(msg, ctx);
    ctx.log.info({ eventId: msg.eventId }, 'no message handler registered; message ignored');
  }
}
