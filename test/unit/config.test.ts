import { describe, expect, it } from 'vitest';
import { formatProblems, loadConfig } from '../../src/config.js';

const noFile = () => undefined;
const tenant = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f6a7b8', FEISHU_APP_SECRET: 's3cret', ALERTMANAGER_WEBHOOK_TOKEN: 'am' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const r = loadConfig({}, { readFile: noFile });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.mode).toBe('sandbox');
    expect(r.config.http).toEqual({ host: '0.0.0.0', port: 3000 });
    expect(r.config.feishu.domain).toBe('https://open.feishu.cn');
    expect(r.config.feishu.eventMode).toBe('webhook');
    expect(r.config.locale).toBe('zh-CN');
    expect(r.config.database.path).toBe('./data/sre-nanobot.db');
    expect(r.config.timezone).toBe('Asia/Shanghai');
    expect(r.config.llm).toBeUndefined();
    expect(r.config.file.namespaces.protected).toEqual(['kube-system']);
    expect(r.config.file.retention).toEqual({
      outbox: 7 * 86_400_000,
      events: 3 * 86_400_000,
      webhooks: 14 * 86_400_000,
    });
  });

  it('is in tenant mode with credentials and strips trailing slashes from URLs', () => {
    const r = loadConfig(
      { ...tenant, FEISHU_DOMAIN: 'http://127.0.0.1:18080/', PROMETHEUS_URL: 'http://prom:9090/' },
      { readFile: noFile },
    );
    expect(r.ok && r.config.mode).toBe('tenant');
    expect(r.ok && r.config.feishu.domain).toBe('http://127.0.0.1:18080');
    expect(r.ok && r.config.prometheus.url).toBe('http://prom:9090');
  });

  it('reports every problem at once, each naming its key', () => {
    const r = loadConfig(
      {
        PORT: 'eighty',
        FEISHU_EVENT_MODE: 'carrier-pigeon',
        BOT_LOCALE: 'fr-FR',
        PROMETHEUS_URL: 'prometheus:9090',
        TZ: 'Mars/Olympus',
        LOG_LEVEL: 'loud',
      },
      { readFile: noFile },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const keys = r.problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining(['PORT', 'FEISHU_EVENT_MODE', 'BOT_LOCALE', 'PROMETHEUS_URL', 'TZ', 'LOG_LEVEL']),
    );
    expect(r.problems).toHaveLength(6);
    expect(formatProblems(r.problems)).toMatch(/^Configuration has 6 problem\(s\):\n {2}- /);
  });

  it('requires the webhook token in tenant mode, accepting an explicit none', () => {
    const r = loadConfig({ FEISHU_APP_ID: 'cli_a1b2c3d4e5f6a7b8', FEISHU_APP_SECRET: 'x' }, { readFile: noFile });
    expect(!r.ok && r.problems.join('\n')).toMatch(/ALERTMANAGER_WEBHOOK_TOKEN: required/);
    const none = loadConfig({ ...tenant, ALERTMANAGER_WEBHOOK_TOKEN: 'none' }, { readFile: noFile });
    expect(none.ok && none.config.alertmanager.webhookToken).toBe('none');
  });

  it('names the missing half of a credential pair and never echoes secret values', () => {
    const r = loadConfig({ FEISHU_APP_SECRET: 'hunter2-secret' }, { readFile: noFile });
    expect(!r.ok && r.problems).toEqual(['FEISHU_APP_ID: required when FEISHU_APP_SECRET is set']);
    const port = loadConfig({ PORT: '99999' }, { readFile: noFile });
    expect(!port.ok && port.problems[0]).toBe('PORT: must be 0–65535 (got "99999")');
  });

  it('validates the YAML file and reports its problems with paths', () => {
    const yamlText = [
      'routes:',
      '  - match: [\'severity="critical"\', "namespace=~\\"(\\""]',
      '    priority: P9',
      '    oncall: [not-a-person]',
      'escalation:',
      '  steps: [{ after: soon, notify: urgent_app }]',
      'unknown_key: 1',
    ].join('\n');
    const r = loadConfig(
      { SRE_NANOBOT_CONFIG: 'bot.yaml' },
      { readFile: (p) => (p === 'bot.yaml' ? yamlText : undefined) },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    expect(text).toContain('bot.yaml: routes[0].priority');
    expect(text).toContain('bot.yaml: routes[0].oncall[0]: must be an open_id (ou_…) or an email');
    expect(text).toContain('bot.yaml: escalation.steps[0].after: must be a duration');
    expect(text).toMatch(/bot\.yaml: \(top level\): .*unknown_key/i);
  });

  it('reports an unreadable YAML file and a named file that does not exist', () => {
    const bad = loadConfig({}, { readFile: () => 'routes: [unclosed' });
    expect(!bad.ok && bad.problems[0]).toMatch(/^SRE_NANOBOT_CONFIG \(\.\/sre-nanobot\.yaml\): not valid YAML/);
    const missing = loadConfig({ SRE_NANOBOT_CONFIG: '/nope.yaml' }, { readFile: noFile });
    expect(!missing.ok && missing.problems).toEqual(['SRE_NANOBOT_CONFIG: file not found: /nope.yaml']);
  });

  it('parses routes, durations and people from a valid file', () => {
    const yamlText = [
      'routes:',
      '  - name: shop',
      '    match: [namespace="shop", severity=~"critical|warning"]',
      '    chat_id: oc_shop',
      '    oncall: [ou_alice, bob@example.com]',
      'correlation_window: 15m',
      'people: [{ id: ou_alice, roles: [approver] }]',
    ].join('\n');
    const r = loadConfig({}, { readFile: () => yamlText });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.file.routes[0]).toMatchObject({
      name: 'shop',
      chat_id: 'oc_shop',
      oncall: ['ou_alice', 'bob@example.com'],
    });
    expect(r.config.file.correlation_window).toBe(15 * 60_000);
    expect(r.config.file.people[0]?.roles).toEqual(['approver']);
    expect(r.config.configFile).toBe('./sre-nanobot.yaml');
  });

  it('reports every problem serve would hit in the file at once: regexes, cron schedules, durations, URLs', () => {
    const yamlText = [
      "production_namespaces: ['prod[', 'staging']",
      'routes:',
      '  - match: [\'namespace=~"(shop"\', \'team!~"a{2,1}"\', \'severity="critical"\']',
      'reports: { daily: "61 9 * * *", weekly: "every monday" }',
      'correlation_window: soon',
      'mcpServers:',
      '  grafana: { url: "https://admin:hunter2@" }',
    ].join('\n');
    const r = loadConfig({ ...tenant, SRE_NANOBOT_CONFIG: 'bot.yaml' }, { readFile: () => yamlText });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    expect(text).toMatch(/bot\.yaml: production_namespaces\[0\]: invalid regular expression: .*\(got "prod\["\)/);
    expect(text).not.toContain('production_namespaces[1]');
    expect(text).toMatch(/bot\.yaml: routes\[0\]\.match\[0\]: invalid regular expression/);
    expect(text).toMatch(/bot\.yaml: routes\[0\]\.match\[1\]: invalid regular expression/);
    expect(text).toMatch(/bot\.yaml: reports\.daily: must be a cron schedule .*minute/);
    expect(text).toMatch(/bot\.yaml: reports\.weekly: must be a cron schedule/);
    expect(text).toMatch(/bot\.yaml: correlation_window: must be a duration .*\(got "soon"\)/);
    expect(text).toMatch(/bot\.yaml: mcpServers\.grafana\.url: must be an http\(s\) URL/);
    expect(text).not.toContain('hunter2');
    expect(r.problems).toHaveLength(7);
  });

  it('accepts the cron schedules and anchored regexes the product runs', () => {
    const yamlText = [
      "production_namespaces: ['prod', 'prod-.*', '(eu|us)-prod']",
      'routes: [{ match: [\'namespace=~"shop|cart"\', \'pod!~"canary-.+"\'] }]',
      'reports: { daily: "30 8 * * 1-5", weekly: "0 10 * * MON" }',
    ].join('\n');
    const r = loadConfig({}, { readFile: () => yamlText });
    expect(r.ok && r.config.file.reports).toEqual({
      daily: '30 8 * * 1-5',
      weekly: '0 10 * * MON',
      recurrence_window: 86_400_000,
    });
  });

  it('masks credentials inside a URL it echoes', () => {
    const r = loadConfig(
      { PROMETHEUS_URL: 'http://admin:hunter2@prom:99999/?token=abc123', ALERTMANAGER_URL: 'am.local?api_key=zz9' },
      { readFile: noFile },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(2);
    const text = r.problems.join('\n');
    expect(text).toContain('PROMETHEUS_URL: must be an http(s) URL');
    expect(text).toContain('admin:[REDACTED]@prom');
    for (const secret of ['hunter2', 'abc123', 'zz9']) expect(text).not.toContain(secret);
  });

  it('lists problems of the environment and of the file in one run', () => {
    const r = loadConfig({ FEISHU_APP_SECRET: 'x' }, { readFile: () => 'correlation_window: soon' });
    expect(!r.ok && r.problems).toEqual([
      './sre-nanobot.yaml: correlation_window: must be a duration such as 30s, 5m, 1h (got "soon")',
      'FEISHU_APP_ID: required when FEISHU_APP_SECRET is set',
    ]);
  });

  it('reads a file of only comments as an empty configuration', () => {
    const r = loadConfig({}, { readFile: () => '# routes come later\n\n' });
    expect(r.ok && r.config.file.routes).toEqual([]);
  });
});
