import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAnnotation } from '../../../../src/sandbox/alerting/annotations.js';
import { KUBE_PROMETHEUS_RULES } from '../../../../src/sandbox/alerting/kube-prometheus-rules.js';
import { alertmanagerYaml, prometheusYaml, rulesYaml } from '../../../../src/sandbox/alerting/real-config.js';
import { LIVE_TIMING, shortenRanges, shortFor } from '../../../../src/sandbox/alerting/timing.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

describe('the real alerting stack configuration', () => {
  it('shortens for: and range windows, keeping the expressions otherwise as upstream wrote them', () => {
    expect(shortFor('15m', LIVE_TIMING)).toBe(15_000);
    expect(shortFor('1h', LIVE_TIMING)).toBe(60_000);
    expect(shortFor(null, LIVE_TIMING)).toBe(0);
    expect(shortenRanges('changes(x[10m]) == 0 and max_over_time(y[5m])', LIVE_TIMING)).toBe(
      'changes(x[20s]) == 0 and max_over_time(y[10s])',
    );
    const names = new Set(KUBE_PROMETHEUS_RULES.map((r) => r.name));
    for (const n of [
      'KubePodCrashLooping',
      'KubePodNotReady',
      'KubeContainerWaiting',
      'KubeDeploymentReplicasMismatch',
      'KubeDeploymentRolloutStuck',
      'KubeStatefulSetReplicasMismatch',
      'KubeJobFailed',
      'KubeHpaMaxedOut',
      'KubeNodeNotReady',
      'KubePersistentVolumeFillingUp',
      'CPUThrottlingHigh',
      'Watchdog',
    ])
      expect(names.has(n), n).toBe(true);
  });

  it('renders annotations as Prometheus templates do', () => {
    const pv = KUBE_PROMETHEUS_RULES.find((r) => r.name === 'KubePersistentVolumeFillingUp');
    expect(
      renderAnnotation(pv?.description ?? '', { persistentvolumeclaim: 'data', namespace: 'db', cluster: 'c1' }, 0.02),
    ).toBe('The PersistentVolume claimed by data in Namespace db on Cluster c1 is only 2% free.');
    // Without a cluster label Go's template leaves both spaces around the empty `with` block.
    expect(renderAnnotation(pv?.description ?? '', { persistentvolumeclaim: 'data', namespace: 'db' }, 0.025)).toBe(
      'The PersistentVolume claimed by data in Namespace db  is only 2.5% free.',
    );
  });

  it.skipIf(!has('promtool'))('writes rules and a Prometheus configuration promtool accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-rules-'));
    const rules = join(dir, 'rules.yml');
    writeFileSync(rules, rulesYaml(LIVE_TIMING));
    const checked = spawnSync('promtool', ['check', 'rules', rules], { encoding: 'utf8' });
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain(`${KUBE_PROMETHEUS_RULES.length} rules found`);
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      prometheusYaml({
        timing: LIVE_TIMING,
        simulatorUrl: 'http://127.0.0.1:3002',
        extrasUrl: 'http://127.0.0.1:4000',
        alertmanagerUrl: 'http://127.0.0.1:9093',
        rulesPath: rules,
      }),
    );
    const cfg = spawnSync('promtool', ['check', 'config', config], { encoding: 'utf8' });
    expect(cfg.status, cfg.stdout + cfg.stderr).toBe(0);
  });

  it.skipIf(!has('amtool'))(
    'writes an Alertmanager configuration amtool accepts, routing to the bot with the token',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'nanobot-am-'));
      const file = join(dir, 'alertmanager.yml');
      const text = alertmanagerYaml({ timing: LIVE_TIMING, botUrl: 'http://127.0.0.1:3000', token: 'sekret' });
      writeFileSync(file, text);
      const r = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(text).toContain('http://127.0.0.1:3000/webhooks/alertmanager');
      expect(text).toContain('credentials: sekret');
      expect(text).toContain('send_resolved: true');
    },
  );
});
