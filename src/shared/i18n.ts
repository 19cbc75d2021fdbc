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
    'diagnosis.pod.unschedulable.title': '{name}: pods cannot be scheduled (FailedScheduling)',
    'diagnosis.pod.unschedulable.cause':
      '{count} pod(s) of {name} stay Pending, the scheduler places them on no node: {detail}.',
    'diagnosis.pod.scheduling_gated.title': '{name}: pods held by scheduling gates',
    'diagnosis.pod.scheduling_gated.cause':
      'Pod {pod} is SchedulingGated: the gates {gates} must be removed before it is scheduled.',
    'diagnosis.pod.crash_loop.title': '{name}: CrashLoopBackOff, container {container} exits with code {exitCode}',
    'diagnosis.pod.crash_loop.cause':
      'Container {container} ({image}) of {count} pod(s) exits with code {exitCode} ({reason}) soon after start and is restarted in CrashLoopBackOff ({restarts} restarts on {pod}).',
    'diagnosis.pod.oom_killed.title': '{name}: OOMKilled, container {container} exceeds its memory limit {limit}',
    'diagnosis.pod.oom_killed.cause':
      'Container {container} ({image}) is OOMKilled (exit code 137): it uses more memory than its limit of {limit}, so the kernel kills it and {count} pod(s) back off in CrashLoopBackOff.',
    'diagnosis.pod.image_pull.title': '{name}: {reason} for image {image}',
    'diagnosis.pod.image_pull.cause':
      'Image {image} of container {container} cannot be pulled ({reason}); the registry answered: {registry}',
    'diagnosis.pod.missing_config_ref.title': '{name}: {refKind} {refName} does not exist',
    'diagnosis.pod.missing_config_ref.cause':
      'Container {container} cannot start: it uses {refKind} {refName}{key} (via {via}), which does not exist in namespace {namespace}.',
    'diagnosis.pod.mount_failed.title': '{name}: volume cannot be mounted ({reason})',
    'diagnosis.pod.mount_failed.cause': 'Pods of {name} stay in ContainerCreating: {message}',
    'diagnosis.pod.container_error.title': '{name}: {reason} in container {container}',
    'diagnosis.pod.container_error.cause':
      'The runtime cannot create or run container {container} ({reason}): {message}',
    'diagnosis.pod.init_failed.title': '{name}: init container {container} fails ({reason})',
    'diagnosis.pod.init_failed.cause':
      'Init container {container} exits with code {exitCode} ({reason}), so the main containers of {count} pod(s) never start.',
    'diagnosis.pod.readiness_failed.title': '{name}: readiness probe fails on port {port}',
    'diagnosis.pod.readiness_failed.cause':
      'Container {container} runs but its readiness probe ({probe} on port {port}) fails, so {count} pod(s) never become Ready and receive no traffic.',
    'diagnosis.pod.liveness_failed.title':
      '{name}: liveness probe fails on port {port}, the kubelet restarts {container}',
    'diagnosis.pod.liveness_failed.cause':
      'The liveness probe of container {container} ({probe} on port {port}) fails, so the kubelet kills it (exit code {exitCode}) and restarts it ({restarts} restarts on {pod}).',
    'diagnosis.pod.evicted.title': '{name}: pods evicted from {node} ({pressure})',
    'diagnosis.pod.evicted.cause': 'Pod {pod} was Evicted by the kubelet of {node}: {message}',
    'diagnosis.pod.terminated_error.title': '{name}: container {container} exited with code {exitCode}',
    'diagnosis.pod.terminated_error.cause': 'Container {container} terminated with exit code {exitCode} ({reason}).',
    'diagnosis.deployment.progress_deadline.title': '{name}: rollout stalled ({reason})',
    'diagnosis.deployment.progress_deadline.cause':
      'Deployment {deployment} has Progressing=False, reason {reason}: {message}',
    'diagnosis.deployment.unavailable.title': '{name}: {available} of {want} replicas available',
    'diagnosis.deployment.unavailable.cause':
      'Deployment {deployment} wants {want} replicas and {available} are available; no pod-level cause was recorded (look at its pods’ events and logs).',
    'diagnosis.replicaset.create_failed.title': '{name}: pods cannot be created (FailedCreate {quota})',
    'diagnosis.replicaset.create_failed.cause': 'ReplicaSet {replicaset} cannot create pods: {message}',
    'diagnosis.statefulset.missing_service.title': '{name}: headless Service {service} does not exist',
    'diagnosis.statefulset.missing_service.cause':
      'StatefulSet {statefulset} uses the Service {service} (spec.serviceName), which does not exist: its pods get no stable DNS names.',
    'diagnosis.statefulset.missing_storage_class.title': '{name}: StorageClass {storageClass} does not exist',
    'diagnosis.statefulset.missing_storage_class.cause':
      'The volume claim template {template} of StatefulSet {statefulset} asks for StorageClass {storageClass}, which does not exist, so its claims stay Pending.',
    'diagnosis.statefulset.unavailable.title': '{name}: {ready} of {want} replicas ready',
    'diagnosis.statefulset.unavailable.cause':
      'StatefulSet {statefulset} wants {want} replicas and {ready} are ready; no pod-level cause was recorded.',
    'diagnosis.daemonset.unavailable.title': '{name}: {ready} of {want} pods ready',
    'diagnosis.daemonset.unavailable.cause': 'DaemonSet {daemonset} has {ready} ready pods out of {want} scheduled.',
    'diagnosis.daemonset.missing_pull_secret.title': '{name}: imagePullSecret {secret} does not exist',
    'diagnosis.daemonset.missing_pull_secret.cause':
      'DaemonSet {daemonset} references the imagePullSecret {secret}, which does not exist, so private images cannot be pulled.',
    'diagnosis.service.no_endpoints.title': '{name}: no endpoints, selector {selector} matches no pod',
    'diagnosis.service.no_endpoints.cause':
      'Service {service} selects {selector}, which no pod in {namespace} carries (pods have {have}), so it has no endpoints and its ports {ports} answer nothing.',
    'diagnosis.service.not_ready_endpoints.title': '{name}: no ready endpoints ({pods} pod(s) match, none ready)',
    'diagnosis.service.not_ready_endpoints.cause':
      'Service {service} selects {selector}; {pods} pod(s) match but none is Ready, so it has no ready endpoints.',
    'diagnosis.pvc.pending.title': '{name}: PersistentVolumeClaim Pending (StorageClass {storageClass})',
    'diagnosis.pvc.pending.cause': 'Claim {claim} stays Pending: {message}. Pods that mount it cannot be scheduled.',
    'diagnosis.ingress.no_class.title': '{name}: Ingress has no class',
    'diagnosis.ingress.no_class.cause':
      'Ingress {ingress} sets neither spec.ingressClassName nor the kubernetes.io/ingress.class annotation; only a default IngressClass will serve it.',
    'diagnosis.ingress.missing_backend.title': '{name}: backend Service {service} does not exist',
    'diagnosis.ingress.missing_backend.cause':
      'Ingress {ingress} routes to Service {service} (port {port}), which does not exist: requests get 503.',
    'diagnosis.ingress.missing_tls_secret.title': '{name}: TLS Secret {secret} does not exist',
    'diagnosis.ingress.missing_tls_secret.cause':
      'Ingress {ingress} uses the Secret {secret} as the TLS certificate for {hosts}, which does not exist.',
    'diagnosis.job.failed.title': '{name}: Job failed ({reason})',
    'diagnosis.job.failed.cause': 'Job {job} has failed ({failed} failed pod(s), last exit code {exitCode}): {message}',
    'diagnosis.job.suspended.title': '{name}: Job is suspended',
    'diagnosis.job.suspended.cause': 'Job {job} is suspended (spec.suspend=true): it starts no pods.',
    'diagnosis.cronjob.suspended.title': '{name}: CronJob is suspended',
    'diagnosis.cronjob.suspended.cause': 'CronJob {cronjob} is suspended (spec.suspend=true): it schedules no Jobs.',
    'diagnosis.cronjob.invalid_schedule.title': '{name}: CronJob schedule "{schedule}" is invalid',
    'diagnosis.cronjob.invalid_schedule.cause': 'CronJob {cronjob} has an invalid schedule "{schedule}": {problem}.',
    'diagnosis.node.not_ready.title': '{name}: node NotReady ({reason})',
    'diagnosis.node.not_ready.cause':
      'Node {node} has Ready={status} since {since} ({reason}: {message}); {pods} pod(s) on it lose readiness and are evicted after the grace period.',
    'diagnosis.node.pressure.title': '{name}: {condition}',
    'diagnosis.node.pressure.cause':
      'Node {node} reports {condition}=True since {since} ({reason}: {message}); the kubelet evicts pods and the node is tainted against new ones ({pods} pod(s) on it).',
    'diagnosis.hpa.missing_target.title': '{name}: scale target {target} {problem}',
    'diagnosis.hpa.missing_target.cause': 'HorizontalPodAutoscaler {hpa} scales {target}, which is {problem}.',
    'diagnosis.hpa.missing_requests.title': '{name}: {target} has no {resource} requests',
    'diagnosis.hpa.missing_requests.cause':
      'HorizontalPodAutoscaler {hpa} scales on {resource} utilization, but containers {containers} of {target} request no {resource}, so utilization cannot be computed.',
    'diagnosis.hpa.metrics_unavailable.title': '{name}: cannot fetch metrics ({reason})',
    'diagnosis.hpa.metrics_unavailable.cause':
      'HorizontalPodAutoscaler {hpa} has ScalingActive=False, reason {reason}: {message}',
    'diagnosis.hpa.scaling_limited.title': '{name}: held at maxReplicas {max}',
    'diagnosis.hpa.scaling_limited.cause':
      'HorizontalPodAutoscaler {hpa} wants more replicas of {target} than maxReplicas {max} allows (TooManyReplicas): {message}',
    'diagnosis.workload.inconclusive.title':
      '{name}: inconclusive, container {container} restarts with exit code {exitCode}',
    'diagnosis.workload.inconclusive.cause':
      'Inconclusive: pods restart with exit code {exitCode} but no OOMKill or probe failure is recorded; look at the previous container log, the node’s kernel log (dmesg) and anything that sends SIGKILL.',
    'diagnosis.change.after': 'It began after revision {revision}, {ago} min ago: {changes}.',
    'diagnosis.card.title.problems': 'Diagnosis of {target}: {count} finding(s)',
    'diagnosis.card.title.inconclusive': 'Diagnosis of {target}: inconclusive',
    'diagnosis.card.title.healthy': 'Diagnosis of {target}: no problems found',
    'diagnosis.card.healthy': 'No problems found.',
    'diagnosis.card.checked': 'Checked {what} in {where}.',
    'diagnosis.card.everywhere': 'all namespaces',
    'diagnosis.card.evidence': 'Evidence',
    'diagnosis.card.change': 'Changed in revision {revision} (previous {previous}){cause}',
    'diagnosis.card.logs': 'Log of {container}{previous}',
    'diagnosis.card.previous': ' (previous instance)',
    'diagnosis.card.affected': 'Affected ({count}): {list}',
    'diagnosis.card.explains': 'Also explains: {list}',
    'diagnosis.card.runbooks': 'Fix: {list}',
    'diagnosis.card.confidence': 'confidence {confidence}',
    'diagnosis.card.more': '… and {n} more finding(s) not shown; run sre-nanobot diagnose {target} --json for all.',
    'diagnosis.card.problems': 'Could not read: {list}',
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
    'diagnosis.pod.unschedulable.title': '{name}：Pod 无法调度（FailedScheduling）',
    'diagnosis.pod.unschedulable.cause': '{name} 的 {count} 个 Pod 一直 Pending，调度器找不到可用节点：{detail}。',
    'diagnosis.pod.scheduling_gated.title': '{name}：Pod 被调度门控（scheduling gates）阻塞',
    'diagnosis.pod.scheduling_gated.cause':
      'Pod {pod} 处于 SchedulingGated 状态：需先移除调度门控 {gates} 才会被调度。',
    'diagnosis.pod.crash_loop.title': '{name}：CrashLoopBackOff，容器 {container} 以退出码 {exitCode} 退出',
    'diagnosis.pod.crash_loop.cause':
      '{count} 个 Pod 的容器 {container}（{image}）启动后不久以退出码 {exitCode}（{reason}）退出，并在 CrashLoopBackOff 中反复重启（{pod} 已重启 {restarts} 次）。',
    'diagnosis.pod.oom_killed.title': '{name}：OOMKilled，容器 {container} 超出内存限制 {limit}',
    'diagnosis.pod.oom_killed.cause':
      '容器 {container}（{image}）被 OOMKilled（退出码 137）：内存用量超过限制 {limit}，被内核杀死，{count} 个 Pod 处于 CrashLoopBackOff。',
    'diagnosis.pod.image_pull.title': '{name}：镜像 {image} 拉取失败（{reason}）',
    'diagnosis.pod.image_pull.cause': '容器 {container} 的镜像 {image} 无法拉取（{reason}）；镜像仓库返回：{registry}',
    'diagnosis.pod.missing_config_ref.title': '{name}：{refKind} {refName} 不存在',
    'diagnosis.pod.missing_config_ref.cause':
      '容器 {container} 无法启动：它（通过 {via}）使用的 {refKind} {refName}{key} 在命名空间 {namespace} 中不存在。',
    'diagnosis.pod.mount_failed.title': '{name}：卷无法挂载（{reason}）',
    'diagnosis.pod.mount_failed.cause': '{name} 的 Pod 停留在 ContainerCreating：{message}',
    'diagnosis.pod.container_error.title': '{name}：容器 {container} 出现 {reason}',
    'diagnosis.pod.container_error.cause': '容器运行时无法创建或运行容器 {container}（{reason}）：{message}',
    'diagnosis.pod.init_failed.title': '{name}：Init 容器 {container} 失败（{reason}）',
    'diagnosis.pod.init_failed.cause':
      'Init 容器 {container} 以退出码 {exitCode}（{reason}）退出，{count} 个 Pod 的主容器始终无法启动。',
    'diagnosis.pod.readiness_failed.title': '{name}：就绪探针在端口 {port} 失败',
    'diagnosis.pod.readiness_failed.cause':
      '容器 {container} 在运行，但就绪探针（{probe}，端口 {port}）失败，{count} 个 Pod 始终未 Ready，收不到流量。',
    'diagnosis.pod.liveness_failed.title': '{name}：存活探针在端口 {port} 失败，kubelet 重启 {container}',
    'diagnosis.pod.liveness_failed.cause':
      '容器 {container} 的存活探针（{probe}，端口 {port}）失败，kubelet 将其杀死（退出码 {exitCode}）并重启（{pod} 已重启 {restarts} 次）。',
    'diagnosis.pod.evicted.title': '{name}：Pod 被从 {node} 驱逐（{pressure}）',
    'diagnosis.pod.evicted.cause': 'Pod {pod} 被 {node} 的 kubelet 驱逐（Evicted）：{message}',
    'diagnosis.pod.terminated_error.title': '{name}：容器 {container} 以退出码 {exitCode} 退出',
    'diagnosis.pod.terminated_error.cause': '容器 {container} 以退出码 {exitCode}（{reason}）终止。',
    'diagnosis.deployment.progress_deadline.title': '{name}：发布停滞（{reason}）',
    'diagnosis.deployment.progress_deadline.cause':
      'Deployment {deployment} 的 Progressing=False，原因 {reason}：{message}',
    'diagnosis.deployment.unavailable.title': '{name}：{want} 个副本中 {available} 个可用',
    'diagnosis.deployment.unavailable.cause':
      'Deployment {deployment} 需要 {want} 个副本，当前 {available} 个可用；没有记录到 Pod 层面的原因（请查看其 Pod 的事件和日志）。',
    'diagnosis.replicaset.create_failed.title': '{name}：无法创建 Pod（FailedCreate {quota}）',
    'diagnosis.replicaset.create_failed.cause': 'ReplicaSet {replicaset} 无法创建 Pod：{message}',
    'diagnosis.statefulset.missing_service.title': '{name}：Headless Service {service} 不存在',
    'diagnosis.statefulset.missing_service.cause':
      'StatefulSet {statefulset} 使用的 Service {service}（spec.serviceName）不存在：其 Pod 没有稳定的 DNS 名称。',
    'diagnosis.statefulset.missing_storage_class.title': '{name}：StorageClass {storageClass} 不存在',
    'diagnosis.statefulset.missing_storage_class.cause':
      'StatefulSet {statefulset} 的卷声明模板 {template} 要求 StorageClass {storageClass}，但它不存在，声明会一直 Pending。',
    'diagnosis.statefulset.unavailable.title': '{name}：{want} 个副本中 {ready} 个就绪',
    'diagnosis.statefulset.unavailable.cause':
      'StatefulSet {statefulset} 需要 {want} 个副本，当前 {ready} 个就绪；没有记录到 Pod 层面的原因。',
    'diagnosis.daemonset.unavailable.title': '{name}：{want} 个 Pod 中 {ready} 个就绪',
    'diagnosis.daemonset.unavailable.cause': 'DaemonSet {daemonset} 已调度 {want} 个 Pod，其中 {ready} 个就绪。',
    'diagnosis.daemonset.missing_pull_secret.title': '{name}：imagePullSecret {secret} 不存在',
    'diagnosis.daemonset.missing_pull_secret.cause':
      'DaemonSet {daemonset} 引用的 imagePullSecret {secret} 不存在，私有镜像无法拉取。',
    'diagnosis.service.no_endpoints.title': '{name}：没有端点，选择器 {selector} 匹配不到 Pod',
    'diagnosis.service.no_endpoints.cause':
      'Service {service} 选择 {selector}，但 {namespace} 中没有 Pod 带这些标签（Pod 的标签是 {have}），因此没有端点，端口 {ports} 无响应。',
    'diagnosis.service.not_ready_endpoints.title': '{name}：没有就绪端点（{pods} 个 Pod 匹配，均未就绪）',
    'diagnosis.service.not_ready_endpoints.cause':
      'Service {service} 选择 {selector}；{pods} 个 Pod 匹配但都未 Ready，因此没有就绪端点。',
    'diagnosis.pvc.pending.title': '{name}：PVC 处于 Pending（StorageClass {storageClass}）',
    'diagnosis.pvc.pending.cause': '声明 {claim} 一直 Pending：{message}。挂载它的 Pod 无法调度。',
    'diagnosis.ingress.no_class.title': '{name}：Ingress 未指定 class',
    'diagnosis.ingress.no_class.cause':
      'Ingress {ingress} 既没有 spec.ingressClassName，也没有 kubernetes.io/ingress.class 注解；只有默认 IngressClass 会处理它。',
    'diagnosis.ingress.missing_backend.title': '{name}：后端 Service {service} 不存在',
    'diagnosis.ingress.missing_backend.cause':
      'Ingress {ingress} 路由到的 Service {service}（端口 {port}）不存在：请求会得到 503。',
    'diagnosis.ingress.missing_tls_secret.title': '{name}：TLS Secret {secret} 不存在',
    'diagnosis.ingress.missing_tls_secret.cause':
      'Ingress {ingress} 为 {hosts} 使用的 TLS 证书 Secret {secret} 不存在。',
    'diagnosis.job.failed.title': '{name}：Job 失败（{reason}）',
    'diagnosis.job.failed.cause': 'Job {job} 已失败（{failed} 个 Pod 失败，最后退出码 {exitCode}）：{message}',
    'diagnosis.job.suspended.title': '{name}：Job 已暂停',
    'diagnosis.job.suspended.cause': 'Job {job} 已暂停（spec.suspend=true）：不会启动 Pod。',
    'diagnosis.cronjob.suspended.title': '{name}：CronJob 已暂停',
    'diagnosis.cronjob.suspended.cause': 'CronJob {cronjob} 已暂停（spec.suspend=true）：不会创建 Job。',
    'diagnosis.cronjob.invalid_schedule.title': '{name}：CronJob 调度表达式 "{schedule}" 无效',
    'diagnosis.cronjob.invalid_schedule.cause': 'CronJob {cronjob} 的调度表达式 "{schedule}" 无效：{problem}。',
    'diagnosis.node.not_ready.title': '{name}：节点 NotReady（{reason}）',
    'diagnosis.node.not_ready.cause':
      '节点 {node} 自 {since} 起 Ready={status}（{reason}：{message}）；其上 {pods} 个 Pod 失去就绪状态，宽限期后会被驱逐。',
    'diagnosis.node.pressure.title': '{name}：{condition}',
    'diagnosis.node.pressure.cause':
      '节点 {node} 自 {since} 起报告 {condition}=True（{reason}：{message}）；kubelet 会驱逐 Pod，节点被打上污点拒绝新 Pod（其上有 {pods} 个 Pod）。',
    'diagnosis.hpa.missing_target.title': '{name}：扩缩目标 {target} {problem}',
    'diagnosis.hpa.missing_target.cause': 'HorizontalPodAutoscaler {hpa} 扩缩的 {target} {problem}。',
    'diagnosis.hpa.missing_requests.title': '{name}：{target} 没有 {resource} requests',
    'diagnosis.hpa.missing_requests.cause':
      'HorizontalPodAutoscaler {hpa} 按 {resource} 利用率扩缩，但 {target} 的容器 {containers} 没有设置 {resource} requests，无法计算利用率。',
    'diagnosis.hpa.metrics_unavailable.title': '{name}：无法获取指标（{reason}）',
    'diagnosis.hpa.metrics_unavailable.cause':
      'HorizontalPodAutoscaler {hpa} 的 ScalingActive=False，原因 {reason}：{message}',
    'diagnosis.hpa.scaling_limited.title': '{name}：被 maxReplicas {max} 限制',
    'diagnosis.hpa.scaling_limited.cause':
      'HorizontalPodAutoscaler {hpa} 需要的 {target} 副本数超过 maxReplicas {max}（TooManyReplicas）：{message}',
    'diagnosis.workload.inconclusive.title': '{name}：无法定论，容器 {container} 以退出码 {exitCode} 重启',
    'diagnosis.workload.inconclusive.cause':
      '无法定论：Pod 以退出码 {exitCode} 重启，但没有记录到 OOMKill 或探针失败；请查看上一个容器实例的日志、节点内核日志（dmesg）以及可能发送 SIGKILL 的进程。',
    'diagnosis.change.after': '问题始于 {ago} 分钟前的第 {revision} 版发布：{changes}。',
    'diagnosis.card.title.problems': '{target} 诊断：{count} 个发现',
    'diagnosis.card.title.inconclusive': '{target} 诊断：无法定论',
    'diagnosis.card.title.healthy': '{target} 诊断：未发现问题',
    'diagnosis.card.healthy': '未发现问题。',
    'diagnosis.card.checked': '已检查 {where} 中的 {what}。',
    'diagnosis.card.everywhere': '所有命名空间',
    'diagnosis.card.evidence': '证据',
    'diagnosis.card.change': '第 {revision} 版的变更（上一版 {previous}）{cause}',
    'diagnosis.card.logs': '{container} 的日志{previous}',
    'diagnosis.card.previous': '（上一个实例）',
    'diagnosis.card.affected': '受影响（{count}）：{list}',
    'diagnosis.card.explains': '同时解释了：{list}',
    'diagnosis.card.runbooks': '修复：{list}',
    'diagnosis.card.confidence': '置信度 {confidence}',
    'diagnosis.card.more': '… 另有 {n} 个发现未显示；运行 sre-nanobot diagnose {target} --json 查看全部。',
    'diagnosis.card.problems': '无法读取：{list}',
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
