/**
 * One message catalog for every user-facing string (cards, replies, reports), in the locale of BOT_LOCALE.
 * Keys are grouped by feature (`incident.ack`, `command.usage`, …); every key exists in every locale — a test
 * checks it — and `{name}` placeholders are filled by `t`. A missing variable throws: a half-filled message
 * must never reach a chat.
 */
export type Locale = 'zh-CN' | 'en-US';

const catalog = {
  'en-US': {
    'error.internal': 'Something went wrong on my side; the on-call log has the details (ref {ref}).',
    'common.unknown': 'unknown',
    'incident.priority.P0': 'P0 · critical',
    'incident.priority.P1': 'P1 · high',
    'incident.priority.P2': 'P2 · warning',
    'incident.priority.P3': 'P3 · info',
    'incident.status.open': 'Open',
    'incident.status.acknowledged': 'Acknowledged',
    'incident.status.resolved': 'Resolved',
    'incident.title': '[{priority}] {title}',
    'incident.field.status': '**Status**: {status}',
    'incident.field.since': '**Since**: {since} ({ago} ago)',
    'incident.field.counts': '**Alerts**: {firing} firing · {resolved} resolved',
    'incident.field.countsAfterResolve': '**Alerts**: resolved by {who}; {firing} still firing in Alertmanager',
    'incident.field.affected': '**Affected**: {resources}',
    'incident.field.alerts': '**Alert names**: {alerts}',
    'incident.field.labels': '**Labels**: {labels}',
    'incident.field.oncall': '**On-call**: {people}',
    'incident.field.acked': '**Acknowledged by** {who} at {at}',
    'incident.field.resolved': '**Resolved by** {who} at {at}',
    'incident.field.resolvedAuto': '**Resolved** at {at}: every alert resolved',
    'incident.field.note': '**Note**: {note}',
    'incident.field.silenced': '**Silenced** until {until} by {who}',
    'incident.field.silenceEnded': 'Silence by {who} {state}',
    'incident.silence.expired': 'expired',
    'incident.silence.removed': 'was removed in Alertmanager',
    'incident.link.graph': 'Prometheus graph',
    'incident.link.runbook': 'Runbook',
    'incident.link.alertmanager': 'Alertmanager',
    'incident.nobody': 'nobody configured',
    'incident.button.ack': 'Ack',
    'incident.button.silence': 'Silence 1h',
    'incident.button.resolve': 'Resolve',
    'incident.button.resolveConfirm': 'Resolve this incident now? Alerts that fire again later open a new incident.',
    'incident.mention.oncall': '{mentions} please take a look.',
    'incident.toast.acked': 'Incident #{id} acknowledged.',
    'incident.toast.alreadyAcked': 'Incident #{id} was already acknowledged by {who}.',
    'incident.toast.resolved': 'Incident #{id} resolved.',
    'incident.toast.alreadyResolved': 'Incident #{id} is already resolved.',
    'incident.toast.silenced': 'Silenced for {duration} in Alertmanager.',
    'incident.toast.silenceUnavailable': 'Silencing needs ALERTMANAGER_URL to be configured.',
    'incident.toast.silenceFailed': 'Alertmanager refused the silence: {reason}',
    'incident.toast.notFound': 'Incident #{id} does not exist.',
    'incident.toast.badDuration': '"{duration}" is not a duration such as 30m, 1h, 2h.',
    'incident.escalation.app': 'Incident #{id} ({priority}) is not acknowledged after {after}.',
    'incident.escalation.group':
      '{mention} Incident #{id} ({priority}) “{title}” is still not acknowledged after {after}.',
    'incident.priorityRaised': '{mentions} Incident #{id} is now {priority}: {title}',
    'incident.pipelineDown.title': 'Alerting pipeline is down: no {name} heartbeat for {for}',
    'incident.pipelineDown.summary':
      'The always-firing {name} alert stopped arriving. Alertmanager, its configuration, credentials or the network to this bot may be broken; until it is back, other alerts may not reach this chat.',
    'storm.title': 'Alert storm: {incidents} incidents',
    'storm.intro':
      'More new incidents than this chat can take one card each; they are summarised here and all recorded. Use /incidents to list them.',
    'storm.since': '**Since** {since} · last alert {last}',
    'storm.table.alertname': 'Alert',
    'storm.table.namespace': 'Namespace',
    'storm.table.firing': 'Firing',
    'storm.table.resolved': 'Resolved',
    'storm.more': '… and {n} more groups',
    'card.unknown_action': 'This button is from an older card and no longer does anything.',
    'card.action_unavailable': 'This action is not available in this version yet.',
    'card.working': 'Working on it…',
    'help.title': 'sre-nanobot — what I can do',
    'help.intro': 'I am the on-call bot. Mention me in a group or message me directly.',
    'help.footer': 'Commands start with "/". More arrive as they are enabled.',
    'command.help': 'show this list',
    'command.unknown': 'I do not know the command /{name}. Send /help for the list.',
    'fallback.reply':
      'Today I can: post alert cards to this chat and handle their buttons, and answer these commands: {commands}. Conversations with me come later.',
    'access.refused.unknownPerson': 'This needs the {role} role; ask an admin to add you under people.',
    'access.refused.roleMissing': 'This needs the {role} role (you have {roles}); ask an admin to add it under people.',
    'access.refused.noIdentity': 'Feishu did not say who clicked, so nothing was changed.',
    'access.refused.noPeople':
      'This needs the {role} role, and no people are configured yet; ask an admin to add people with that role.',
    'access.refused.wrongCard': 'This card does not show incident #{id}, so nothing was changed.',
    'incident.toast.alreadySilenced': 'Incident #{id} is already silenced until {until} by {who}.',
  },
  'zh-CN': {
    'error.internal': '处理时出错了，详情见机器人日志（编号 {ref}）。',
    'common.unknown': '未知',
    'incident.priority.P0': 'P0 · 紧急',
    'incident.priority.P1': 'P1 · 严重',
    'incident.priority.P2': 'P2 · 警告',
    'incident.priority.P3': 'P3 · 提示',
    'incident.status.open': '未处理',
    'incident.status.acknowledged': '已认领',
    'incident.status.resolved': '已恢复',
    'incident.title': '[{priority}] {title}',
    'incident.field.status': '**状态**：{status}',
    'incident.field.since': '**开始于**：{since}（{ago} 前）',
    'incident.field.counts': '**告警**：{firing} 条触发中 · {resolved} 条已恢复',
    'incident.field.countsAfterResolve': '**告警**：已由 {who} 恢复；Alertmanager 中仍有 {firing} 条触发中',
    'incident.field.affected': '**受影响**：{resources}',
    'incident.field.alerts': '**告警名**：{alerts}',
    'incident.field.labels': '**标签**：{labels}',
    'incident.field.oncall': '**值班**：{people}',
    'incident.field.acked': '**认领人** {who}，时间 {at}',
    'incident.field.resolved': '**处理人** {who}，恢复时间 {at}',
    'incident.field.resolvedAuto': '**已恢复**于 {at}：所有告警均已恢复',
    'incident.field.note': '**备注**：{note}',
    'incident.field.silenced': '**已静默**至 {until}，操作人 {who}',
    'incident.field.silenceEnded': '{who} 创建的静默{state}',
    'incident.silence.expired': '已到期',
    'incident.silence.removed': '已在 Alertmanager 中被移除',
    'incident.link.graph': 'Prometheus 图表',
    'incident.link.runbook': '处理手册',
    'incident.link.alertmanager': 'Alertmanager',
    'incident.nobody': '未配置',
    'incident.button.ack': '认领',
    'incident.button.silence': '静默 1 小时',
    'incident.button.resolve': '标记恢复',
    'incident.button.resolveConfirm': '现在将此事件标记为已恢复？之后再次触发的告警会开启新事件。',
    'incident.mention.oncall': '{mentions} 请处理。',
    'incident.toast.acked': '事件 #{id} 已认领。',
    'incident.toast.alreadyAcked': '事件 #{id} 已由 {who} 认领。',
    'incident.toast.resolved': '事件 #{id} 已标记恢复。',
    'incident.toast.alreadyResolved': '事件 #{id} 已经恢复。',
    'incident.toast.silenced': '已在 Alertmanager 中静默 {duration}。',
    'incident.toast.silenceUnavailable': '静默需要先配置 ALERTMANAGER_URL。',
    'incident.toast.silenceFailed': 'Alertmanager 拒绝了静默：{reason}',
    'incident.toast.notFound': '事件 #{id} 不存在。',
    'incident.toast.badDuration': '“{duration}”不是有效时长，例如 30m、1h、2h。',
    'incident.escalation.app': '事件 #{id}（{priority}）已 {after} 未认领。',
    'incident.escalation.group': '{mention} 事件 #{id}（{priority}）“{title}”已 {after} 未认领。',
    'incident.priorityRaised': '{mentions} 事件 #{id} 已升级为 {priority}：{title}',
    'incident.pipelineDown.title': '告警链路中断：{for} 未收到 {name} 心跳',
    'incident.pipelineDown.summary':
      '持续触发的 {name} 告警已停止到达。Alertmanager、其配置、凭据或到机器人的网络可能有问题；恢复之前，其他告警可能无法送达本群。',
    'storm.title': '告警风暴：{incidents} 个事件',
    'storm.intro': '新事件过多，无法逐一发卡片；这里汇总展示，所有告警均已记录。用 /incidents 查看列表。',
    'storm.since': '**开始于** {since} · 最近告警 {last}',
    'storm.table.alertname': '告警',
    'storm.table.namespace': '命名空间',
    'storm.table.firing': '触发中',
    'storm.table.resolved': '已恢复',
    'storm.more': '… 以及另外 {n} 组',
    'card.unknown_action': '这个按钮来自旧版卡片，已不再可用。',
    'card.action_unavailable': '当前版本暂不支持这个操作。',
    'card.working': '处理中…',
    'help.title': 'sre-nanobot 能做什么',
    'help.intro': '我是值班机器人。在群里 @我，或直接私聊我。',
    'help.footer': '命令以 "/" 开头，更多功能陆续开放。',
    'command.help': '显示本列表',
    'command.unknown': '我不认识命令 /{name}，发送 /help 查看可用命令。',
    'fallback.reply': '目前我可以：在群里发送告警卡片并处理卡片按钮，以及响应这些命令：{commands}。对话功能稍后开放。',
    'access.refused.unknownPerson': '需要 {role} 角色；请联系管理员把你加入 people。',
    'access.refused.roleMissing': '需要 {role} 角色（你当前是 {roles}）；请联系管理员在 people 中为你添加。',
    'access.refused.noIdentity': '飞书没有提供点击者的身份，未做任何更改。',
    'access.refused.noPeople': '需要 {role} 角色，但尚未配置 people；请联系管理员添加具有该角色的人员。',
    'access.refused.wrongCard': '这张卡片不是事件 #{id} 的卡片，未做任何更改。',
    'incident.toast.alreadySilenced': '事件 #{id} 已由 {who} 静默至 {until}。',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof catalog)['en-US'];
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const table: Record<string, string> = catalog[locale];
  return (key, vars = {}) => {
    const template = table[key];
    if (template === undefined) throw new Error(`message ${key} is missing in ${locale}`);
    return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`message ${key} needs {${name}}`);
      return String(v);
    });
  };
}

/** For the catalog test: every locale's keys. */
export function catalogKeys(): Record<Locale, string[]> {
  return { 'en-US': Object.keys(catalog['en-US']), 'zh-CN': Object.keys(catalog['zh-CN']) };
}
