import { createHash } from 'node:crypto';
import { apiVersionOf, RESOURCE_KINDS } from './kinds.js';

/**
 * A minimal OpenAPI v3 surface: one document per group/version listing each resource's create and patch operations with
 * its group-version-kind and the `fieldValidation`/`dryRun` query parameters. kubectl reads it to learn that
 * the server validates fields itself, so `kubectl create -f` works without client-side schema validation.
 */
function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function served(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCE_KINDS) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

const PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

function document(group: string, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCE_KINDS.filter((x) => x.group === group && x.version === version)) {
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    const op = (verb: string, code: string) => ({
      operationId: `${verb}${r.kind}`,
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': { group, version, kind: r.kind },
      parameters: PARAMS,
      responses: { [code]: { description: 'OK' } },
    });
    paths[base] = { post: op('create', '201') };
    paths[`${base}/{name}`] = { patch: op('patch', '200') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}

function hashOf(group: string, version: string): string {
  return createHash('sha256')
    .update(JSON.stringify(document(group, version)))
    .digest('hex')
    .slice(0, 32)
    .toUpperCase();
}

/** `/openapi/v3` (the index) or `/openapi/v3/<api|apis/...>`; undefined when not served. */
export function openApiV3(pathname: string): Record<string, unknown> | undefined {
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') {
    const paths: Record<string, unknown> = {};
    for (const { group, version } of served())
      paths[gvPath(group, version)] = {
        serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hashOf(group, version)}`,
      };
    return { paths };
  }
  const gv = served().find(({ group, version }) => pathname === `/openapi/v3/${gvPath(group, version)}`);
  return gv ? document(gv.group, gv.version) : undefined;
}
