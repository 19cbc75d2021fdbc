/** A small shop in the cluster simulator: a crash-looping checkout with two revisions, a healthy cart, a node. */
import type { ClusterStore, K8sObject } from '../../src/sandbox/cluster/index.js';

const T0 = '2026-11-25T07:00:00Z';

function container(name: string, image: string) {
  return {
    name,
    image,
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', value: 'Pg_pr0d_9f8a7b6c' },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
  };
}

function template(app: string, image: string, hash?: string) {
  return {
    metadata: { labels: { app, ...(hash ? { 'pod-template-hash': hash } : {}) } },
    spec: { containers: [container(app, image)] },
  };
}

export function seedShop(store: ClusterStore): void {
  const create = (o: K8sObject) => store.create(o);
  create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      nodeInfo: { kubeletVersion: 'v1.31.2' },
    },
  });
  const deploy = create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      labels: { app: 'checkout' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'checkout' } },
      template: template('checkout', 'registry.example.com/shop/checkout:1.4.2'),
    },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
  });
  const owner = (kind: string, o: K8sObject) => [
    { apiVersion: o.apiVersion, kind, name: o.metadata.name, uid: o.metadata.uid as string, controller: true },
  ];
  create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'checkout-6b7c9d8e7',
      namespace: 'shop',
      labels: { app: 'checkout', 'pod-template-hash': '6b7c9d8e7' },
      annotations: { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'release 1.4.1' },
      ownerReferences: owner('Deployment', deploy),
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'checkout' } },
      template: template('checkout', 'registry.example.com/shop/checkout:1.4.1', '6b7c9d8e7'),
    },
    status: { replicas: 0 },
  });
  const rs = create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'checkout-7d9f8b6c5',
      namespace: 'shop',
      labels: { app: 'checkout', 'pod-template-hash': '7d9f8b6c5' },
      annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'release 1.4.2' },
      ownerReferences: owner('Deployment', deploy),
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'checkout' } },
      template: template('checkout', 'registry.example.com/shop/checkout:1.4.2', '7d9f8b6c5'),
    },
    status: { replicas: 2, readyReplicas: 1 },
  });
  const pod = create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'checkout-7d9f8b6c5-x2x9q',
      namespace: 'shop',
      labels: { app: 'checkout', 'pod-template-hash': '7d9f8b6c5' },
      ownerReferences: owner('ReplicaSet', rs),
      creationTimestamp: T0,
    },
    spec: { nodeName: 'node-1', containers: [container('checkout', 'registry.example.com/shop/checkout:1.4.2')] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'checkout',
          ready: false,
          restartCount: 16,
          image: 'registry.example.com/shop/checkout:1.4.2',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ],
    },
  });
  create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'cart-5c6d7f8b9-abcde', namespace: 'shop', labels: { app: 'cart' } },
    spec: { nodeName: 'node-1', containers: [container('cart', 'registry.example.com/shop/cart:2.0.0')] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'cart', ready: true, restartCount: 0, state: { running: {} } }],
    },
  });
  store.recordEvent(pod, 'BackOff', 'Back-off restarting failed container checkout', 'Warning');
  for (const line of [
    'INFO starting checkout v1.4.2',
    'INFO connecting to postgres://checkout:Pg_pr0d_9f8a7b6c@db.shop:5432/orders',
    'ERROR payment gateway returned 502',
    'FATAL cannot reach database, exiting',
  ]) {
    store.appendLog('shop', 'checkout-7d9f8b6c5-x2x9q', 'checkout', line);
  }
  create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    type: 'Opaque',
    data: {
      password: Buffer.from('Pg_pr0d_9f8a7b6c').toString('base64'),
      host: Buffer.from('db.shop').toString('base64'),
    },
  });
  create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'checkout-config', namespace: 'shop' },
    data: {
      'application.properties': 'server.port=8080\nspring.datasource.password=Pg_pr0d_9f8a7b6c\n',
      FEATURE_X: 'on',
    },
  });
  create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'coredns' } },
      template: template('coredns', 'registry.k8s.io/coredns/coredns:v1.11.1'),
    },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
  });
}
