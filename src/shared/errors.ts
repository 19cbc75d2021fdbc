/**
 * One error base for the whole product. Every error a user or operator can meet carries a stable string
 * `code`; the edges (HTTP, chat replies, CLI) map codes to a status and an actionable message.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'bad_request'
  | 'malformed_json'
  | 'payload_too_large'
  | 'unauthorized'
  | 'signature_mismatch'
  | 'token_mismatch'
  | 'not_found'
  | 'conflict'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'upstream_error'
  | 'timeout'
  | 'request_timeout'
  | 'unavailable'
  | 'policy_denied'
  | 'internal';

export class CodedError extends Error {
  readonly code: ErrorCode;
  /** Extra, non-secret detail safe to show to the caller (e.g. which field was wrong). */
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.detail = options.detail;
  }
}

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}

/** A short description of any thrown value, for logs and audit rows (never a stack trace to a user). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
