import { describe, expect, it } from 'vitest';
import { resolveParams, sampleParams } from '../../../src/runbooks/params.js';
import { RunbookSchema } from '../../../src/runbooks/schema.js';
import { baseRunbook } from './fixtures.js';

const rb = RunbookSchema.parse({
  ...baseRunbook(),
  params: {
    ...(baseRunbook().params as object),
    force: { type: 'boolean', default: false, description: { 'zh-CN': '强制', 'en-US': 'force' } },
    ratio: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.05,
      description: { 'zh-CN': '比例', 'en-US': 'ratio' },
    },
    revision: {
      type: 'integer',
      optional: true,
      minimum: 1,
      example: 4,
      description: { 'zh-CN': '版本', 'en-US': 'revision' },
    },
    mode: {
      type: 'string',
      enum: ['fast', 'safe'],
      default: 'safe',
      description: { 'zh-CN': '模式', 'en-US': 'mode' },
    },
  },
});

describe('resolveParams', () => {
  it('coerces chat strings, applies defaults and leaves optional ones unset', () => {
    expect(
      resolveParams(rb, { namespace: 'shop', deployment: 'cart', replicas: '5', force: 'true', ratio: '0.5' }),
    ).toEqual({
      ok: true,
      values: {
        namespace: 'shop',
        deployment: 'cart',
        replicas: 5,
        force: true,
        ratio: 0.5,
        revision: null,
        mode: 'safe',
      },
    });
  });

  it('takes typed values from a button as they are', () => {
    const r = resolveParams(rb, { namespace: 'shop', deployment: 'cart', replicas: 0, revision: 7 });
    expect(r.ok && r.values).toMatchObject({ replicas: 0, revision: 7 });
  });

  it('reports every problem at once, in words a person can act on', () => {
    const r = resolveParams(rb, {
      namespace: 'Shop!',
      replicas: 'many',
      force: 'yes',
      ratio: '2',
      mode: 'quick',
      replica: '3',
    });
    expect(r).toEqual({
      ok: false,
      problems: [
        'unknown parameter replica; scale-test takes namespace, deployment, replicas, force, ratio, revision, mode',
        'parameter namespace=Shop!: must be a DNS label such as shop',
        'missing parameter deployment (e.g. deployment=cart)',
        'parameter replicas=many: must be a number',
        'parameter force=yes: must be true or false',
        'parameter ratio=2: must be at most 1',
        'parameter mode=quick: must be one of fast, safe',
      ],
    });
  });

  it('refuses a fraction for an integer and a value outside the bounds', () => {
    const r = resolveParams(rb, { namespace: 'shop', deployment: 'cart', replicas: 2.5, revision: '0' });
    expect(r.ok ? [] : r.problems).toEqual([
      'parameter replicas=2.5: must be a whole number',
      'parameter revision=0: must be at least 1',
    ]);
  });

  it('samples defaults and examples for validation, optional ones unset unless asked', () => {
    expect(sampleParams(rb.params)).toMatchObject({ namespace: 'shop', replicas: 3, revision: null });
    expect(sampleParams(rb.params, true)).toMatchObject({ revision: 4 });
  });
});
