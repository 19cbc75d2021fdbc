/**
 * Diagnosis in chat (`/diagnose`, the Investigate button, automatic diagnosis of new incidents), the patterns
 * of disruption budgets and network policies, and what changed besides a rollout.
 */
import type { Locale } from '../i18n.js';

export const diagnosisMessages = {
  'en-US': {
    'command.diagnose': 'find the root cause in a namespace or one resource, with evidence and the fix (no LLM)',
    'diagnose.badTarget': '{error}. Usage: {usage}',
    'diagnose.failed': 'Diagnosis failed: {reason}',
    'diagnose.run': 'Run {runbook}',
    'diagnose.note.noLlm':
      'Deeper analysis by the assistant needs an LLM: set OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL.',
    'diagnose.note.noInvestigator': 'Deeper analysis by the assistant is not available in this build.',
    'diagnose.note.handedOff': 'The assistant is investigating further, starting from these findings.',
    'diagnose.note.handoffFailed': 'The assistant could not start an investigation: {reason}',
    'investigate.toast.started': 'Diagnosing incident #{id}: the findings will be posted in its thread.',
    'investigate.toast.busy': 'Incident #{id} is being diagnosed already: the findings will be posted in its thread.',
    'investigate.toast.recent':
      'Incident #{id} was diagnosed {ago} ago (see its thread); click again after {wait} for a fresh diagnosis.',
    'investigate.toast.noCluster': 'No cluster is configured, so incident #{id} cannot be diagnosed.',
    'investigate.toast.resolved': 'Incident #{id} is resolved; there is nothing to investigate.',
    'investigate.failed': 'Diagnosis of incident #{id} failed: {reason}',
    'incident.button.investigate': 'Investigate',
    'incident.field.topCause': '**Top cause:** {cause}',
    'incident.field.diagnosedNothing': '**Diagnosis:** {verdict} ({at})',
    'incident.diagnosis.healthy': 'no problems found in the cluster',
    'incident.diagnosis.inconclusive': 'inconclusive',
    'diagnosis.pdb.disruptions_blocked.title':
      '{name}: PodDisruptionBudget allows no disruption (disruptionsAllowed 0)',
    'diagnosis.pdb.disruptions_blocked.cause':
      'PodDisruptionBudget {pdb} selects {selector}: {healthy} of {expected} pod(s) are healthy and {desired} must stay healthy ({rule}), so disruptionsAllowed is 0 and every eviction — a node drain, a cluster upgrade, the autoscaler — is refused{why}.',
    'diagnosis.pdb.disruptions_blocked.why.unhealthy': ' until the unhealthy pods recover',
    'diagnosis.pdb.disruptions_blocked.why.impossible': ': the budget can never be met with this many replicas',
    'diagnosis.pdb.no_pods.title': '{name}: PodDisruptionBudget selects no pod ({selector})',
    'diagnosis.pdb.no_pods.cause':
      'PodDisruptionBudget {pdb} selects {selector}, which no pod in {namespace} carries, so it protects nothing.',
    'diagnosis.networkpolicy.deny_ingress.title':
      '{name}: NetworkPolicy denies all ingress to {pods} pod(s) behind Service {services}',
    'diagnosis.networkpolicy.deny_ingress.cause':
      'NetworkPolicy {policies} selects {selector} with policyTypes Ingress and no ingress rule, and no other policy allows traffic to these pods: every connection to {services} (pods {examples}) is dropped.',
    'diagnosis.networkpolicy.no_allowed_peers.title':
      '{name}: NetworkPolicy allows ingress only from {peers}, which no pod carries',
    'diagnosis.networkpolicy.no_allowed_peers.cause':
      'NetworkPolicy {policies} lets pods of {services} be reached only from pods labelled {peers} in {namespace}, and no pod there carries those labels (callers have {have}): every connection is dropped.',
    'diagnosis.networkpolicy.no_pods.title': '{name}: NetworkPolicy applies to no pod ({selector})',
    'diagnosis.networkpolicy.no_pods.cause':
      'NetworkPolicy {policy} selects {selector}, which no pod in {namespace} carries, so it is not applied to anything.',
    'diagnosis.change.recent': 'It began after {what}, {ago} min ago.',
    'diagnosis.pod.missing_config_ref.missing.object': '{refKind} {refName} does not exist',
    'diagnosis.pod.missing_config_ref.missing.key': 'key {keyName} is missing from {refKind} {refName}',
    'diagnosis.pod.missing_config_ref.absent.object': 'which does not exist in namespace {namespace}',
    'diagnosis.pod.missing_config_ref.absent.key': 'which exists but has no key {keyName}',
    'diagnosis.card.recentChange': '{object}: {what}{by}',
    'diagnosis.card.skipped': 'Not readable with the bot’s account (RBAC), so not checked: {list}.',
  },
  'zh-CN': {
    'command.diagnose': '找出命名空间或单个资源的根因，附证据与修复方法（无需 LLM）',
    'diagnose.badTarget': '{error}。用法：{usage}',
    'diagnose.failed': '诊断失败：{reason}',
    'diagnose.run': '执行 {runbook}',
    'diagnose.note.noLlm': '助手的深入分析需要 LLM：请设置 OPENAI_BASE_URL、OPENAI_API_KEY 和 OPENAI_MODEL。',
    'diagnose.note.noInvestigator': '此版本尚不提供助手的深入分析。',
    'diagnose.note.handedOff': '助手正以这些发现为起点继续调查。',
    'diagnose.note.handoffFailed': '助手未能开始调查：{reason}',
    'investigate.toast.started': '正在诊断事件 #{id}，结果将发布在该事件的话题中。',
    'investigate.toast.busy': '事件 #{id} 正在诊断中，结果将发布在该事件的话题中。',
    'investigate.toast.recent': '事件 #{id} 已于 {ago} 前诊断过（见话题）；{wait} 后可再次点击重新诊断。',
    'investigate.toast.noCluster': '尚未配置集群，无法诊断事件 #{id}。',
    'investigate.toast.resolved': '事件 #{id} 已解决，无需调查。',
    'investigate.failed': '事件 #{id} 诊断失败：{reason}',
    'incident.button.investigate': '诊断',
    'incident.field.topCause': '**首要原因：**{cause}',
    'incident.field.diagnosedNothing': '**诊断：**{verdict}（{at}）',
    'incident.diagnosis.healthy': '集群中未发现问题',
    'incident.diagnosis.inconclusive': '无法定论',
    'diagnosis.pdb.disruptions_blocked.title': '{name}：PodDisruptionBudget 不允许任何驱逐（disruptionsAllowed 0）',
    'diagnosis.pdb.disruptions_blocked.cause':
      'PodDisruptionBudget {pdb} 选择 {selector}：{expected} 个 Pod 中 {healthy} 个健康，需保持 {desired} 个健康（{rule}），因此 disruptionsAllowed 为 0，任何驱逐（节点 drain、集群升级、自动伸缩）都会被拒绝{why}。',
    'diagnosis.pdb.disruptions_blocked.why.unhealthy': '，直到不健康的 Pod 恢复',
    'diagnosis.pdb.disruptions_blocked.why.impossible': '：以当前副本数永远无法满足该预算',
    'diagnosis.pdb.no_pods.title': '{name}：PodDisruptionBudget 未选中任何 Pod（{selector}）',
    'diagnosis.pdb.no_pods.cause':
      'PodDisruptionBudget {pdb} 选择 {selector}，但 {namespace} 中没有 Pod 带这些标签，它什么也不保护。',
    'diagnosis.networkpolicy.deny_ingress.title':
      '{name}：NetworkPolicy 拒绝所有流入 Service {services} 后 {pods} 个 Pod 的流量',
    'diagnosis.networkpolicy.deny_ingress.cause':
      'NetworkPolicy {policies} 以 policyTypes Ingress 且无任何 ingress 规则选择了 {selector}，也没有其他策略放行这些 Pod：所有到 {services}（Pod {examples}）的连接都被丢弃。',
    'diagnosis.networkpolicy.no_allowed_peers.title':
      '{name}：NetworkPolicy 只允许来自 {peers} 的流量，但没有 Pod 带此标签',
    'diagnosis.networkpolicy.no_allowed_peers.cause':
      'NetworkPolicy {policies} 只允许 {namespace} 中带 {peers} 标签的 Pod 访问 {services} 的 Pod，而那里没有 Pod 带这些标签（调用方的标签为 {have}）：所有连接都被丢弃。',
    'diagnosis.networkpolicy.no_pods.title': '{name}：NetworkPolicy 未作用于任何 Pod（{selector}）',
    'diagnosis.networkpolicy.no_pods.cause':
      'NetworkPolicy {policy} 选择 {selector}，但 {namespace} 中没有 Pod 带这些标签，它没有作用于任何对象。',
    'diagnosis.change.recent': '问题始于 {what}，{ago} 分钟前。',
    'diagnosis.pod.missing_config_ref.missing.object': '{refKind} {refName} 不存在',
    'diagnosis.pod.missing_config_ref.missing.key': '{refKind} {refName} 中缺少键 {keyName}',
    'diagnosis.pod.missing_config_ref.absent.object': '在命名空间 {namespace} 中不存在',
    'diagnosis.pod.missing_config_ref.absent.key': '存在，但没有键 {keyName}',
    'diagnosis.card.recentChange': '{object}：{what}{by}',
    'diagnosis.card.skipped': '机器人账号无权读取（RBAC），因此未检查：{list}。',
  },
} as const satisfies Record<Locale, Record<string, string>>;
