import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, patchTypeOf, strategicMergePatch } from '../../../../src/sandbox/cluster/patch.js';
import { isK8sStatusError } from '../../../../src/sandbox/cluster/status.js';

const deploy = {
  metadata: { name: 'web', annotations: { a: '1' } },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
          { name: 'sidecar', image: 'envoy:1' },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      },
    },
  },
};

describe('patches', () => {
  it('merge patch replaces lists and deletes keys set to null', () => {
    const out = mergePatch(deploy, {
      metadata: { annotations: { a: null, b: '2' } },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } },
    }) as typeof deploy;
    expect(out.metadata.annotations).toEqual({ b: '2' });
    expect(out.spec.template.spec.containers).toEqual([{ name: 'app', image: 'app:2' }]);
    expect(deploy.metadata.annotations).toEqual({ a: '1' });
  });

  it('strategic merge patch merges containers by name and honours $patch directives', () => {
    const out = strategicMergePatch(deploy, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }] },
              { name: 'sidecar', $patch: 'delete' },
              { name: 'debug', image: 'busybox' },
            ],
            $setElementOrder: [],
            volumes: [{ $patch: 'replace' }, { name: 'new', emptyDir: {} }],
          },
        },
      },
    }) as typeof deploy;
    const containers = out.spec.template.spec.containers;
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=app:2', 'debug=busybox']);
    expect(containers[0]?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(containers[0]?.ports).toEqual([{ containerPort: 80 }]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'new', emptyDir: {} }]);
  });

  it('json patch applies add/replace/remove/test and rejects a failed test', () => {
    const out = jsonPatch(deploy, [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'app:3' },
      { op: 'add', path: '/metadata/annotations/x~1y', value: 'z' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'late', image: 'l' } },
      { op: 'test', path: '/metadata/name', value: 'web' },
    ]) as typeof deploy;
    expect(out.metadata.annotations).toEqual({ a: '1', 'x/y': 'z' });
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['app', 'late']);
    expect(out.spec.template.spec.containers[0]?.image).toBe('app:3');
    expect(() => jsonPatch(deploy, [{ op: 'test', path: '/metadata/name', value: 'x' }])).toThrow(/test failed/);
    expect(() => jsonPatch(deploy, [{ op: 'replace', path: '/metadata/labels', value: {} }])).toThrow(/missing/);
  });

  it('maps content types and refuses unknown ones with 415', () => {
    expect(patchTypeOf('application/strategic-merge-patch+json')).toBe('strategic');
    expect(patchTypeOf('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeOf('application/json-patch+json')).toBe('json');
    try {
      patchTypeOf('application/apply-patch+yaml');
      throw new Error('accepted');
    } catch (err) {
      expect(isK8sStatusError(err) && err.status.code).toBe(415);
    }
  });
});
