import { type DestinationStream, type Logger, pino } from 'pino';
import { redactText } from './redact.js';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line, whatever logged them. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-lark-signature"]',
  'headers.authorization',
  '*.appSecret',
  '*.app_secret',
  '*.apiKey',
  '*.api_key',
  '*.encryptKey',
  '*.verificationToken',
  '*.password',
  '*.token',
  '*.tenant_access_token',
  'config.feishu',
  'config.llm.apiKey',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sre-nanobot' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: {
        // Free-text messages may quote upstream bodies or logs: mask credential-looking strings in them too.
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** A logger that discards everything; for tests and tools that must stay quiet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
