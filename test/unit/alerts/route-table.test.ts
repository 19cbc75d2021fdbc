import { describe, expect, it } from 'vitest';
import { parseMatcher } from '../../../src/alerts/matchers.js';
import { maxPriority } from '../../../src/alerts/model.js';
import { RouteTable } from '../../../src/alerts/route-table.js';
import { testConfig } from '../../helpers/alerts.js';

const routerFor = (yaml: string) => {
  const c = testConfig(yaml);
  return new RouteTable(c.file, c.feishu.defaultChatId);
};

describe('matchers', () => {
  it('supports =, !=, =~ and !~ with anchored regexes; a missing label is empty', () => {
    const labels = { namespace: 'payments-prod', team: 'pay' };
    expect(parseMatcher('namespace="payments-prod"').test(labels)).toBe(true);
    expect(parseMatcher('team!="pay"').test(labels)).toBe(false);
    expect(parseMatcher('namespace=~".*-prod"').test(labels)).toBe(true);
    expect(parseMatcher('namespace=~"prod"').test(labels)).toBe(false); // anchored: no substring match
    expect(parseMatcher('namespace!~"dev|staging"').test(labels)).toBe(true);
    expect(parseMatcher('env=""').test(labels)).toBe(true);
    expect(parseMatcher('severity =~ "crit.*"').test({ severity: 'critical' })).toBe(true);
  });
});

describe('RouteTable', () => {
  const router = routerFor(`
routes:
  - name: payments
    match: ['namespace=~"payments.*"', 'severity="critical"']
    priority: P0
    chat_id: oc_pay
    oncall: [ou_pay]
  - name: shop-label
    match: ['team="shop"']
    continue: true
    chat_id: oc_shop
  - name: shop-oncall
    match: ['namespace="shop"']
    chat_id: oc_never
    oncall: [ou_shop]
    group_by: [alertname]
`);

  it('applies the priority table by default', () => {
    const r = routerFor('routes: []');
    expect(r.decide({ severity: 'critical', namespace: 'prod' }).priority).toBe('P0');
    expect(r.decide({ severity: 'critical', namespace: 'shop-prod' }).priority).toBe('P0');
    expect(r.decide({ severity: 'critical', namespace: 'shop', env: 'production' }).priority).toBe('P0');
    expect(r.decide({ severity: 'critical', namespace: 'staging' }).priority).toBe('P1');
    expect(r.decide({ severity: 'warning', namespace: 'prod' }).priority).toBe('P2');
    expect(r.decide({ severity: 'info' }).priority).toBe('P3');
    expect(r.decide({ severity: 'none' }).priority).toBe('P3');
    expect(r.decide({ severity: 'info', priority: 'P1' }).priority).toBe('P1');
    expect(r.decide({}).priority).toBe('P2');
    expect(r.decide({}).chatId).toBe('oc_default');
  });

  it('takes the first matching route; continue lets later routes fill what it left unset', () => {
    expect(router.decide({ namespace: 'payments-eu', severity: 'critical' })).toMatchObject({
      priority: 'P0',
      chatId: 'oc_pay',
      oncall: ['ou_pay'],
      routes: ['payments'],
    });
    expect(router.decide({ namespace: 'payments-eu', severity: 'warning' }).chatId).toBe('oc_default');
    expect(router.decide({ namespace: 'shop', team: 'shop', severity: 'warning' })).toMatchObject({
      priority: 'P2',
      chatId: 'oc_shop',
      oncall: ['ou_shop'],
      groupBy: ['alertname'],
      routes: ['shop-label', 'shop-oncall'],
    });
  });

  it('orders priorities', () => {
    expect(maxPriority('P2', 'P0')).toBe('P0');
    expect(maxPriority('P1', 'P3')).toBe('P1');
  });
});
