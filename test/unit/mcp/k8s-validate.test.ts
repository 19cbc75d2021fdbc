import { describe, expect, it } from 'vitest';
import { fieldSelector, image, labelSelector, name, namespace, quantity } from '../../../src/mcp/k8s/validate.js';
import { promqlProblem } from '../../../src/mcp/prometheus/validate.js';

describe('input hardening', () => {
  it.each([
    'app=cart',
    'app=cart,tier!=db',
    'env in (prod, staging)',
    '!canary',
    'app.kubernetes.io/name=cart',
    'tier notin (a,b)',
    'app',
  ])('accepts label selector %s', (s) => expect(labelSelector.safeParse(s).success).toBe(true));
  it.each(['app=cart;rm -rf /', 'app=$(whoami)', 'app=cart&watch=true', 'a=b)', '', 'app=c\nart'])(
    'refuses label selector %j',
    (s) => expect(labelSelector.safeParse(s).success).toBe(false),
  );
  it('names and namespaces are DNS names; no path tricks', () => {
    expect(name.safeParse('checkout-7d9f8b6c5-x2x9q').success).toBe(true);
    for (const bad of ['../secrets', 'a/b', 'Cart', 'x?dryRun=None', `${'a'.repeat(254)}`]) {
      expect(name.safeParse(bad).success).toBe(false);
    }
    expect(namespace.safeParse('kube-system').success).toBe(true);
    expect(namespace.safeParse('shop/../kube-system').success).toBe(false);
  });
  it('field selectors, quantities and images', () => {
    expect(fieldSelector.safeParse('status.phase=Running,spec.nodeName=node-1').success).toBe(true);
    expect(fieldSelector.safeParse('status.phase=Running&labelSelector=x').success).toBe(false);
    expect(quantity.safeParse('250m').success).toBe(true);
    expect(quantity.safeParse('1.5Gi').success).toBe(true);
    expect(quantity.safeParse('lots').success).toBe(false);
    expect(image.safeParse('registry.example.com:5000/shop/cart:1.4.3').success).toBe(true);
    expect(image.safeParse(`nginx@sha256:${'a'.repeat(64)}`).success).toBe(true);
    expect(image.safeParse('nginx; curl evil').success).toBe(false);
  });
  it('PromQL: balanced brackets, strings respected, no control characters', () => {
    expect(promqlProblem('sum by (pod) (rate(http_requests_total{code=~"5..", path="/a(b"}[5m]))')).toBeUndefined();
    expect(promqlProblem('rate(x[5m]')).toBe('unclosed "("');
    expect(promqlProblem('x{a="b}')).toBe('unterminated string');
    expect(promqlProblem('up\u0000')).toBe('query contains control characters');
    expect(promqlProblem('   ')).toBe('query is empty');
  });
});
