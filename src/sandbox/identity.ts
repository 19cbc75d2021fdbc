/**
 * Who lives in the sandbox: a generated Feishu app (fresh credentials every start), the bot, a few people and
 * the demo chats. Chat and people ids are fixed so links and logs read the same from one run to the next.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../access/roles.js';

export interface SandboxApp {
  /** `cli_` + 16 hex digits, as Feishu issues them. */
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
}

export interface SandboxPerson {
  openId: string;
  name: string;
  email: string;
  roles: Role[];
}

export interface SandboxChat {
  chatId: string;
  name: string;
  type: 'group' | 'p2p';
  members: string[];
}

export interface SandboxIdentity {
  app: SandboxApp;
  bot: { openId: string; name: string };
  people: SandboxPerson[];
  /** The incident group: alerts, cards and reports go here. */
  demoChat: SandboxChat;
  chats: SandboxChat[];
  /** Bearer token the bot requires on /webhooks/alertmanager. */
  alertmanagerToken: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export const PEOPLE: SandboxPerson[] = [
  {
    openId: 'ou_sandbox0000000000000000000alice',
    name: 'Alice (on-call)',
    email: 'alice@sandbox.local',
    roles: ['admin', 'approver'],
  },
  {
    openId: 'ou_sandbox00000000000000000000bob',
    name: 'Bob (SRE)',
    email: 'bob@sandbox.local',
    roles: ['approver', 'operator'],
  },
  {
    openId: 'ou_sandbox0000000000000000000carol',
    name: 'Carol (developer)',
    email: 'carol@sandbox.local',
    roles: ['viewer'],
  },
];

export const DEMO_CHAT_ID = 'oc_sandbox000000000000000000incident';

export function createIdentity(): SandboxIdentity {
  const demoChat: SandboxChat = {
    chatId: DEMO_CHAT_ID,
    name: 'SRE incidents (sandbox)',
    type: 'group',
    members: PEOPLE.map((p) => p.openId),
  };
  const [alice] = PEOPLE;
  const direct: SandboxChat[] = alice
    ? [{ chatId: 'oc_sandbox0000000000000000000000dm', name: alice.name, type: 'p2p', members: [alice.openId] }]
    : [];
  return {
    app: {
      appId: `cli_${hex(8)}`,
      appSecret: hex(16),
      encryptKey: hex(16),
      verificationToken: hex(12),
    },
    bot: { openId: `ou_${hex(16)}`, name: 'sre-nanobot' },
    people: PEOPLE,
    demoChat,
    chats: [demoChat, ...direct],
    alertmanagerToken: hex(16),
  };
}
