/** Input hardening for Kubernetes tools: every name, namespace and selector is checked before a request. */
import { z } from 'zod';

/** DNS-1123 subdomain (object names). */
export const name = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a Kubernetes object name');

/** DNS-1123 label (namespaces, container names). */
export const label = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label such as shop');

export const namespace = label.describe('namespace');

/** Name of a configured cluster; only names from configuration resolve to anything. */
export const cluster = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be the name of a configured cluster')
  .optional()
  .describe('configured cluster name; default cluster when omitted');

const LABEL_KEY = String.raw`([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`;
const LABEL_VALUE = `([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const REQUIREMENT = String.raw`!?${LABEL_KEY}|${LABEL_KEY}\s*(=|==|!=)\s*${LABEL_VALUE}|${LABEL_KEY}\s+(in|notin)\s+\(\s*${LABEL_VALUE}(\s*,\s*${LABEL_VALUE})*\s*\)`;
const SELECTOR = new RegExp(String.raw`^\s*(${REQUIREMENT})(\s*,\s*(${REQUIREMENT}))*\s*$`);

export const labelSelector = z
  .string()
  .max(1000)
  .regex(SELECTOR, 'must be a label selector such as app=cart,tier in (web,api)')
  .optional();

const FIELD = String.raw`[a-zA-Z][a-zA-Z0-9.]*\s*(=|==|!=)\s*[-A-Za-z0-9_.:/]*`;
export const fieldSelector = z
  .string()
  .max(500)
  .regex(
    new RegExp(String.raw`^\s*${FIELD}(\s*,\s*${FIELD})*\s*$`),
    'must be a field selector such as status.phase=Running',
  )
  .optional();

/** A resource quantity such as 250m, 512Mi, 2. */
export const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'must be a quantity such as 250m or 512Mi');

/** A container image reference: registry/repo[:tag][@digest]. */
export const image = z
  .string()
  .max(500)
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._/-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    'must be an image reference such as registry.example.com/shop/cart:1.4.3',
  );

export const dryRun = z
  .boolean()
  .default(false)
  .describe('server-side dry run: nothing changes, the result shows what would change');

export const workloadKind = z.enum(['deployment', 'statefulset', 'daemonset']);
