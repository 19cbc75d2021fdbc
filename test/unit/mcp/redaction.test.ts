/** Realistic secrets in the places tools return them: pod env, log lines, ConfigMaps and Secrets. */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactText, redactValue } from '../../../src/shared/redact.js';

const SECRETS = [
  'Pg_pr0d_9f8a7b6c',
  'AKIAZ7QXJ4R5T6Y7U8I9',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk-proj-4f9c2a1b8e7d6c5b4a3f2e1d',
  'xoxb-1234567890-0987654321-AbCdEfGhIjKl',
  'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  'rEd1sP4ss',
  'mongo-s3cret',
];

const pod = {
  kind: 'Pod',
  metadata: { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' },
  spec: {
    containers: [
      {
        name: 'checkout',
        image: 'registry.example.com/shop/checkout:1.4.2',
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DB_PASSWORD', value: 'Pg_pr0d_9f8a7b6c' },
          { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAZ7QXJ4R5T6Y7U8I9' },
          { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
          { name: 'OPENAI_KEY', value: 'sk-proj-4f9c2a1b8e7d6c5b4a3f2e1d' },
          { name: 'REDIS_URL', value: 'redis://default:rEd1sP4ss@redis.shop:6379/0' },
          { name: 'MONGO_DSN', value: 'mongo-s3cret' },
          { name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'db', key: 'host' } } },
        ],
      },
    ],
  },
};

const logs = [
  '2026-11-25T12:07:01Z INFO starting checkout v1.4.2 on :8080',
  '2026-11-25T12:07:02Z DEBUG slack notifier using token xoxb-1234567890-0987654321-AbCdEfGhIjKl',
  '2026-11-25T12:07:02Z DEBUG GET https://api.github.com/repos/shop/x Authorization: token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  '2026-11-25T12:07:03Z ERROR connect failed: mongodb://checkout:mongo-s3cret@mongo.shop:27017/orders timed out',
  '2026-11-25T12:07:03Z FATAL config: {"db_password": "Pg_pr0d_9f8a7b6c", "pool": 10}',
].join('\n');

const configMap = {
  kind: 'ConfigMap',
  metadata: { name: 'checkout-config', namespace: 'shop' },
  data: {
    'application.properties':
      'server.port=8080\nspring.datasource.url=jdbc:postgresql://db:5432/shop\nspring.datasource.password=Pg_pr0d_9f8a7b6c\n',
    'settings.yaml': 'aws:\n  secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion: cn-north-1\n',
    OPENAI_API_KEY: 'sk-proj-4f9c2a1b8e7d6c5b4a3f2e1d',
    FEATURE_FLAGS: 'new-cart=true',
  },
};

const secret = {
  kind: 'Secret',
  metadata: {
    name: 'db',
    namespace: 'shop',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"UGdfcHIwZA=="}}' },
  },
  type: 'Opaque',
  data: { host: 'ZGIuc2hvcA==', password: 'UGdfcHIwZF85ZjhhN2I2Yw==' },
};

function leaks(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return SECRETS.filter((s) => text.includes(s));
}

describe('redaction of tool output', () => {
  it('masks credential env values in a pod spec and keeps harmless ones', () => {
    const out = redactValue(pod);
    expect(leaks(out)).toEqual([]);
    const env = out.spec.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'LOG_LEVEL')?.value).toBe('info');
    expect(env.find((e) => e.name === 'DB_PASSWORD')?.value).toBe(REDACTED);
    expect(env.find((e) => e.name === 'REDIS_URL')?.value).toBe('redis://default:[REDACTED]@redis.shop:6379/0');
    expect(env.find((e) => e.name === 'DB_HOST')?.valueFrom).toEqual({ secretKeyRef: { name: 'db', key: 'host' } });
  });

  it('masks credentials in log lines and keeps the rest of each line', () => {
    const out = redactText(logs);
    expect(leaks(out)).toEqual([]);
    expect(out).toContain('starting checkout v1.4.2 on :8080');
    expect(out).toContain('mongodb://checkout:[REDACTED]@mongo.shop:27017/orders timed out');
    expect(out.split('\n')).toHaveLength(5);
  });

  it('masks secrets inside ConfigMap values and secret-named keys', () => {
    const out = redactValue(configMap);
    expect(leaks(out)).toEqual([]);
    expect(out.data['application.properties']).toContain('server.port=8080');
    expect(out.data.FEATURE_FLAGS).toBe('new-cart=true');
    expect(out.data.OPENAI_API_KEY).toBe(REDACTED);
  });

  it('never returns Secret data: key names only, and the last-applied annotation is masked too', () => {
    const out = redactValue(secret) as typeof secret;
    expect(out.data).toEqual({ host: REDACTED, password: REDACTED });
    expect(JSON.stringify(out)).not.toContain('UGdf');
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(REDACTED);
    const list = redactValue({ items: [secret] });
    expect(JSON.stringify(list)).not.toContain('ZGIuc2hvcA==');
  });
});

describe('text renderings follow the data', () => {
  it('a value masked in the data is scrubbed from any text that repeats it', async () => {
    const { redactValueCollecting, scrubText } = await import('../../../src/shared/redact.js');
    const { value, masked } = redactValueCollecting(pod);
    const text = scrubText(JSON.stringify(pod, null, 1), masked);
    expect(leaks(text)).toEqual([]);
    expect(leaks(value)).toEqual([]);
    expect(text).toContain('"LOG_LEVEL"');
    const s = redactValueCollecting(secret);
    expect(scrubText('password is Pg_pr0d_9f8a7b6c', s.masked)).toBe(`password is ${REDACTED}`);
  });
});
