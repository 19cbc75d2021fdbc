/**
 * The user's configuration file in the sandbox: the file `serve` would read (SRE_NANOBOT_CONFIG, else
 * ./sre-nanobot.yaml when it exists) is layered over the sandbox's demo configuration, so a person can try their
 * routes, people and settings against the emulator before connecting a tenant.
 *
 * - Everything in the file wins; the demo contributes only what the file does not say.
 * - `people`: the demo people, then the file's (a file entry with a demo person's id replaces it). A person given
 *   by email becomes an emulated user with that email, so on-call emails resolve as they would in a tenant.
 * - `routes`: the file's routes first (the first matching route decides), then the demo's catch-all route to the
 *   incident group. Every chat a route or the reports name becomes a group chat on the page.
 * - `clusters` and `mcpServers` are left out: nothing leaves the machine, the simulated cluster stands in.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { DEFAULT_CONFIG_FILE, FileConfigSchema, loadConfig } from '../config.js';
import type { SandboxChat, SandboxIdentity } from './identity.js';

/** Keys of the file the sandbox does not use, because they reach outside the machine. */
const LEFT_OUT = ['clusters', 'mcpServers'] as const;

export interface UserConfigLayer {
  /** The file read; undefined when there is none. */
  path: string | undefined;
  /** The file's keys as written (YAML-level, so durations stay `5m`). */
  raw: Record<string, unknown>;
  /** Keys present in the file that the sandbox leaves out. */
  leftOut: string[];
}

export type UserConfigResult = { ok: true; layer: UserConfigLayer } | { ok: false; problems: string[] };

/** Reads and checks the user's file on its own, so its problems name that file, not the generated one. */
export function readUserConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string | undefined = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
): UserConfigResult {
  const named = env.SRE_NANOBOT_CONFIG?.trim() || undefined;
  const path = named ?? DEFAULT_CONFIG_FILE;
  const text = readFile(path);
  if (text === undefined && !named) return { ok: true, layer: { path: undefined, raw: {}, leftOut: [] } };
  const checked = loadConfig({ SRE_NANOBOT_CONFIG: path }, { readFile });
  if (!checked.ok) return { ok: false, problems: checked.problems };
  let loaded: unknown;
  try {
    loaded = text === undefined ? undefined : yaml.load(text, { filename: path });
  } catch {
    loaded = undefined; // loadConfig accepted it, so it holds no document (only comments)
  }
  const raw = loaded && typeof loaded === 'object' && !Array.isArray(loaded) ? (loaded as Record<string, unknown>) : {};
  return { ok: true, layer: { path, raw, leftOut: LEFT_OUT.filter((k) => k in raw) } };
}

export interface LayeredConfig {
  /** The YAML the sandboxed bot reads. */
  yaml: string;
  /** Emulated users for the file's people who are not demo people. */
  users: { openId: string; name: string; email?: string }[];
  /** Group chats for the chats the file names that the sandbox does not have. */
  chats: SandboxChat[];
}

export function layerUserConfig(identity: SandboxIdentity, layer: UserConfigLayer): LayeredConfig {
  // The file passed validation, so its shape is the schema's; parse again for typed access to what is merged.
  const file = FileConfigSchema.parse(layer.raw);
  const raw = Object.fromEntries(
    Object.entries(layer.raw).filter(([k]) => !(LEFT_OUT as readonly string[]).includes(k)),
  );

  const demoPeople = identity.people.map((p) => ({ id: p.openId, name: p.name, roles: p.roles }));
  const filePeople = Array.isArray(layer.raw.people) ? (layer.raw.people as { id: string }[]) : [];
  const fileIds = new Set(file.people.map((p) => p.id));
  const people = [...demoPeople.filter((p) => !fileIds.has(p.id)), ...filePeople];

  const demoRoute = {
    name: 'sandbox incident group',
    chat_id: identity.demoChat.chatId,
    oncall: [identity.people[0]?.openId],
  };
  const fileRoutes = Array.isArray(layer.raw.routes) ? layer.raw.routes : [];

  const known = new Set(identity.people.map((p) => p.openId));
  const users = file.people
    .filter((p) => !known.has(p.id))
    .map((p) => {
      const email = p.id.startsWith('ou_') ? undefined : p.id;
      return { openId: email ? openIdFor(email) : p.id, name: p.name ?? p.id, ...(email ? { email } : {}) };
    });
  const members = [...identity.people.map((p) => p.openId), ...users.map((u) => u.openId)];
  const chatIds = new Set(identity.chats.map((c) => c.chatId));
  const chats: SandboxChat[] = [];
  const named = [
    ...file.routes.map((r, i) => ({ chatId: r.chat_id, name: r.name ?? `routes[${i}]` })),
    { chatId: file.reports.chat_id, name: 'reports' },
  ];
  for (const { chatId, name } of named) {
    if (!chatId || chatIds.has(chatId)) continue;
    chatIds.add(chatId);
    chats.push({ chatId, name: `${name} (from ${layer.path ?? 'your file'})`, type: 'group', members });
  }

  return { yaml: yaml.dump({ ...raw, people, routes: [...fileRoutes, demoRoute] }), users, chats };
}

/** A stable open_id for an emailed person, so links read the same from one run to the next. */
function openIdFor(email: string): string {
  return `ou_${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32)}`;
}
