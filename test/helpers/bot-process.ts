/**
 * The bot as a real child process (`serve`), as a container or systemd would run it: started with an explicit
 * environment, ready once it logs `sre-nanobot listening` (its port read from that line, so PORT=0 works),
 * stopped with SIGTERM. Its stdout and stderr are kept for assertions and failure messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A tenant-mode environment pointing at nothing real: Feishu and Alertmanager on closed loopback ports. */
export function tenantEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718',
    FEISHU_APP_SECRET: 'test-secret',
    FEISHU_DOMAIN: 'http://127.0.0.1:9',
    ALERTMANAGER_WEBHOOK_TOKEN: 'test-token',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    SRE_NANOBOT_CONFIG: '',
    ...extra,
  };
}

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the port once listening; rejects with the output if the process exits first. */
  listening: Promise<number>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Runs `command args…` (default: the CLI through tsx) with `env`, from `cwd` (default: the repository). */
export function startBot(
  env: Record<string, string>,
  options: { command?: string; args?: string[]; cwd?: string } = {},
): BotProcess {
  const child = spawn(options.command ?? process.execPath, options.args ?? ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const listening = new Promise<number>((done, fail) => {
    const check = () => {
      const line = out.split('\n').find((l) => l.includes('sre-nanobot listening'));
      if (line) {
        const port = (JSON.parse(line) as { port?: number }).port;
        if (port) done(port);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => fail(new Error(`bot exited (${code}) before listening:\n${out}`)));
  });
  listening.catch(() => {}); // a caller that only awaits `exited` does not leave a rejection unhandled
  return {
    child,
    output: () => out,
    listening,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
