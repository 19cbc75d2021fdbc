/** A small valid runbook body for the runbook tests to vary. */
export function baseRunbook(): Record<string, unknown> {
  const ref = { kind: 'deployment', name: '{{ params.deployment }}', namespace: '{{ params.namespace }}' };
  return {
    id: 'scale-test',
    title: { 'zh-CN': '扩缩容', 'en-US': 'Scale' },
    description: { 'zh-CN': '测试用', 'en-US': 'for tests' },
    category: 'resource_management',
    risk: 'medium',
    target: ref,
    params: {
      namespace: {
        type: 'string',
        format: 'label',
        example: 'shop',
        description: { 'zh-CN': '命名空间', 'en-US': 'namespace' },
      },
      deployment: {
        type: 'string',
        format: 'name',
        example: 'cart',
        description: { 'zh-CN': '部署', 'en-US': 'deployment' },
      },
      replicas: {
        type: 'integer',
        minimum: 0,
        maximum: 50,
        default: 3,
        description: { 'zh-CN': '副本', 'en-US': 'replicas' },
      },
    },
    steps: [
      {
        id: 'scale',
        type: 'tool',
        tool: 'workload_scale',
        args: {
          name: '{{ params.deployment }}',
          namespace: '{{ params.namespace }}',
          replicas: '{{ params.replicas }}',
        },
      },
    ],
    verification: { timeout: '5m', checks: [{ id: 'ready', type: 'check_resource', ref, condition: 'pods_ready' }] },
  };
}
