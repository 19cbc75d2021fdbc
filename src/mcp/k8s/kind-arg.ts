import { z } from 'zod';
import { KINDS, type Kind, normaliseKind } from './kinds.js';

/** A kind, accepting kubectl short names and plurals (deploy, po, svc, pvc, hpa…). */
export const kindArg = z
  .string()
  .transform((s, ctx) => {
    const k = normaliseKind(s);
    if (!k) {
      ctx.addIssue({ code: 'custom', message: `unsupported kind ${s}; one of ${KINDS.join(', ')}` });
      return z.NEVER;
    }
    return k as Kind;
  })
  .describe(`resource kind: ${KINDS.join(', ')} (short names such as deploy, po, svc accepted)`);
