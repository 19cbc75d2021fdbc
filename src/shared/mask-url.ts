/**
 * Masks the credentials a URL can carry before it is echoed (a configuration problem, a start-up summary): the
 * password of `https://user:pass@host` (or a lone user part, which is often a token), and the values of query
 * parameters named like secrets (`?token=`, `?api_key=`, `?sig=`). Text that is not a URL passes through
 * redactText, so a credential-looking value is still hidden.
 */
import { REDACTED, redactText } from './redact.js';

const SECRET_PARAM = /pass|secret|token|key|auth|sig|credential|session|code/i;

export function maskUrlSecrets(text: string): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return redactText(text);
  }
  if (!u.host) return redactText(text);
  let changed = false;
  if (u.password) {
    u.password = 'REDACTED';
    changed = true;
  } else if (u.username) {
    u.username = 'REDACTED';
    changed = true;
  }
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) {
      u.searchParams.set(name, 'REDACTED');
      changed = true;
    }
  }
  if (!changed) return redactText(text);
  // URL encodes the brackets; write the marker the rest of the product uses.
  return u.toString().replaceAll('REDACTED', REDACTED);
}
