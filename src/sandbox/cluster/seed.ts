import { goService, type ImageCatalog, type ImageProfile } from './images.js';
import { type Container, obj } from './objects.js';
import { HEALTHY } from './scenarios/node-conditions.js';
import type { ClusterStore, K8sObject } from './store.js';
import { rfc3339 } from './time.js';
import type { World } from './world.js';

const MI = 2 ** 20;

export const DEMO_IMAGES: Record<string, ImageProfile> = {
  'registry.local/shop/checkout:2.3.0': goService('checkout', '2.3.0'),
  'registry.local/shop/cart:1.8.2': { ...goService('cart', '1.8.2'), memoryBytes: 64 * MI },
  'registry.local/shop/frontend:3.1.0': {
    ...goService('frontend', '3.1.0'),
    memoryBytes: 180 * MI,
    cpuCores: 0.12,
    startupLogs: (c) => [
      `${c.at()} info  frontend 3.1.0 (node v20.18.1) starting`,
      `${c.at(200)} info  upstreams: checkout=http://checkout.shop:8080 cart=http://cart.shop:8080`,
      `${c.at(450)} info  listening on :8080`,
    ],
  },
  'registry.local/payments/api:5.2.1': { ...goService('payments-api', '5.2.1'), memoryBytes: 150 * MI, cpuCores: 0.08 },
  'registry.k8s.io/coredns/coredns:v1.11.3': {
    ...goService('coredns', 'v1.11.3'),
    memoryBytes: 20 * MI,
    cpuCores: 0.004,
    ports: [53, 8080, 8181, 9153],
    healthPath: '/ready',
    startupLogs: () => [
      '.:53',
      '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
      'CoreDNS-1.11.3',
      'linux/amd64, go1.21.11, a6338e9',
    ],
  },
};

function node(name: string, index: number, now: string): K8sObject {
  return obj({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'c6i.xlarge',
        'topology.kubernetes.io/zone': index === 1 ? 'zone-a' : 'zone-b',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`], providerID: `sim://${name}` },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '102687672Ki', memory: '16374592Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '94636958716', memory: '16272192Ki', pods: '110' },
      conditions: HEALTHY.map((c) => ({ ...c, lastHeartbeatTime: now, lastTransitionTime: now })),
      addresses: [
        { type: 'InternalIP', address: `10.0.0.${10 + index}` },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `6f0c1a52-7c0e-4f7b-9d1e-00000000000${index}`,
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.8.0-1019-aws',
        kubeProxyVersion: 'v1.31.4',
        kubeletVersion: 'v1.31.4',
        machineID: `ec2${index}d8e6f0b1c4a5e9d7f3b2a1c0e9d8f7a6`,
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        systemUUID: `ec2${index}d8e6-f0b1-c4a5-e9d7-f3b2a1c0e9d8`,
      },
      images: [],
    },
  });
}

interface AppSpec {
  namespace: string;
  name: string;
  image: string;
  replicas: number;
  labels?: Record<string, string>;
  container?: Partial<Container> & Record<string, unknown>;
  pod?: Record<string, unknown>;
}

function deployment(a: AppSpec): K8sObject {
  const labels = a.labels ?? { app: a.name };
  return obj({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: a.name, namespace: a.namespace, labels: { ...labels } },
    spec: {
      replicas: a.replicas,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [
            {
              name: a.name,
              image: a.image,
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              readinessProbe: {
                httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
                initialDelaySeconds: 2,
                periodSeconds: 10,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 3,
              },
              ...a.container,
            },
          ],
          ...a.pod,
        },
      },
    },
  });
}

function service(namespace: string, name: string, port: number, extra: Record<string, unknown> = {}): K8sObject {
  return obj({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }], ...extra },
  });
}

const res = (cpu: string, mem: string, cpuLimit: string, memLimit: string) => ({
  requests: { cpu, memory: mem },
  limits: { cpu: cpuLimit, memory: memLimit },
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The demo topology: two nodes, coredns, a shop (checkout/cart/frontend), payments, storage and an HPA. */
export function demoObjects(now: number): K8sObject[] {
  const ts = rfc3339(now);
  const ns = (name: string) => obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: name } } });
  const cm = (namespace: string, name: string, data: Record<string, string>) =>
    obj({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
  const secret = (namespace: string, name: string, data: Record<string, string>) =>
    obj({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type: 'Opaque',
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    });
  return [
    node('node-1', 1, ts),
    node('node-2', 2, ts),
    ns('shop'),
    ns('payments'),
    obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    }),
    obj({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: '10.0.0.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    }),
    obj({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    }),
    cm('kube-system', 'coredns', {
      Corefile:
        '.:53 {\n    errors\n    health\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n',
    }),
    deployment({
      namespace: 'kube-system',
      name: 'coredns',
      image: 'registry.k8s.io/coredns/coredns:v1.11.3',
      replicas: 2,
      labels: { 'k8s-app': 'kube-dns' },
      container: {
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
        ],
        args: ['-conf', '/etc/coredns/Corefile'],
        resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
        readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' }, periodSeconds: 10 },
        volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
      },
      pod: {
        priorityClassName: 'system-cluster-critical',
        volumes: [{ name: 'config-volume', configMap: { name: 'coredns' } }],
      },
    }),
    obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        selector: { 'k8s-app': 'kube-dns' },
        clusterIP: '10.96.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    }),
    cm('shop', 'checkout-config', { PRICING_API_URL: 'http://pricing.shop:8080', LOG_LEVEL: 'info' }),
    secret('shop', 'checkout-db', { username: 'checkout', password: 'sandbox-only' }),
    deployment({
      namespace: 'shop',
      name: 'checkout',
      image: 'registry.local/shop/checkout:2.3.0',
      replicas: 3,
      container: {
        envFrom: [{ configMapRef: { name: 'checkout-config' } }],
        env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'checkout-db', key: 'password' } } }],
        resources: res('100m', '128Mi', '500m', '256Mi'),
      },
    }),
    service('shop', 'checkout', 8080),
    cm('shop', 'cart-config', { 'cart.yaml': 'redis: cart-redis.shop:6379\nttl: 24h\n' }),
    deployment({
      namespace: 'shop',
      name: 'cart',
      image: 'registry.local/shop/cart:1.8.2',
      replicas: 2,
      container: {
        resources: res('100m', '96Mi', '300m', '192Mi'),
        volumeMounts: [{ name: 'config', mountPath: '/etc/cart', readOnly: true }],
      },
      pod: { volumes: [{ name: 'config', configMap: { name: 'cart-config' } }] },
    }),
    service('shop', 'cart', 8080),
    cm('shop', 'frontend-config', { CHECKOUT_URL: 'http://checkout.shop:8080', CART_URL: 'http://cart.shop:8080' }),
    deployment({
      namespace: 'shop',
      name: 'frontend',
      image: 'registry.local/shop/frontend:3.1.0',
      replicas: 2,
      container: {
        env: [
          { name: 'CHECKOUT_URL', valueFrom: { configMapKeyRef: { name: 'frontend-config', key: 'CHECKOUT_URL' } } },
          { name: 'CART_URL', valueFrom: { configMapKeyRef: { name: 'frontend-config', key: 'CART_URL' } } },
        ],
        resources: res('250m', '128Mi', '1', '256Mi'),
      },
    }),
    service('shop', 'frontend', 80),
    obj({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'frontend', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      },
    }),
    cm('payments', 'api-config', {
      PSP_ENDPOINT: 'https://psp.example.com/v2',
      LEDGER_DSN: 'postgres://ledger.payments:5432/ledger',
    }),
    secret('payments', 'api-credentials', { PSP_API_KEY: 'sandbox-only', LEDGER_PASSWORD: 'sandbox-only' }),
    deployment({
      namespace: 'payments',
      name: 'api',
      image: 'registry.local/payments/api:5.2.1',
      replicas: 2,
      container: {
        envFrom: [{ configMapRef: { name: 'api-config' } }, { secretRef: { name: 'api-credentials' } }],
        resources: res('200m', '192Mi', '1', '384Mi'),
      },
    }),
    service('payments', 'api', 80),
    obj({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'ledger-data', namespace: 'payments', labels: { app: 'api' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        resources: { requests: { storage: '5Gi' } },
      },
    }),
  ];
}

/**
 * Creates the demo cluster's objects (pods follow from the controllers on the next ticks). With a world, the
 * demo images are registered with their behaviour and already present on the nodes, so pods start at once.
 */
export function seedDemoCluster(store: ClusterStore, world?: World): void {
  for (const o of demoObjects(store.clock.now()))
    if (!store.get(o.kind, o.metadata.namespace, o.metadata.name)) store.create(o);
  if (world) registerDemoImages(world.images, world);
}

function registerDemoImages(images: ImageCatalog, world: World): void {
  for (const [image, profile] of Object.entries(DEMO_IMAGES)) images.register(image, profile);
  world.kubelet.preload(Object.keys(DEMO_IMAGES));
}
