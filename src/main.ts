/**
 * The composition root: the only place that wires adapters (SQLite, Koa, Feishu, cluster, LLM) to the core,
 * and the CLI's verbs. Nothing else reads process.env (config.ts does, on our behalf).
 *
 * What only some modes use is imported when that mode starts (`await import(...)`), so `serve` does not carry
 * the sandbox, the stdio MCP servers or the OpenAI client in memory: the sandbox (emulator, cluster simulator,
 * page), `mcp k8s|prometheus`, and the LLM adapter when an LLM is configured.
 */
import type { AddressInfo } from 'node:net';
import type { Person } from './access/actor.js';
import { PeopleDirectory } from './access/people.js';
import { AlertmanagerClient } from './alertmanager/client.js';
import type { AppContext } from './app/context.js';
import { registerDefaults } from './app/defaults.js';
import { Router } from './app/router.js';
import { validateCardTemplates } from './cards/template.js';
import { createDiagnoseCommand } from './commands/diagnose.js';
import { COMMANDS, registerCommands } from './commands/index.js';
import { type Config, formatProblems, loadConfig } from './config.js';
import { mountConsoleFor } from './console/index.js';
import type { DiagnosisSources } from './diagnosis/engine.js';
import { type FeishuGateway, startFeishuGateway } from './feishu/gateway.js';
import { mountAlertmanagerWebhook } from './http/routes/alertmanager.js';
import { HttpServer } from './http/server.js';
import { AlertIntake } from './incidents/alert-intake.js';
import { AlertingServices } from './incidents/background.js';
import { registerIncidentActions } from './incidents/card-actions.js';
import { incidentDeps } from './incidents/context.js';
import { type DiagnosedEvent, IncidentDiagnoser, registerInvestigate } from './incidents/investigate.js';
import { allPeople } from './incidents/oncall.js';
import { HandoverRefresher } from './incidents/oncall-handover.js';
import type { KubeDeps } from './mcp/k8s/clusters.js';
import { KubeClusterReader } from './mcp/k8s/reader.js';
import { PrometheusMetricsQuery } from './mcp/prometheus/metrics-query.js';
import type { StdioServerName } from './mcp/stdio.js';
import { buildToolHost, clusterReadiness, prometheusDepsFromConfig } from './mcp/wire.js';
import type { AlertmanagerPort } from './ports/alertmanager.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { ClusterReader } from './ports/cluster.js';
import type { FeishuPort } from './ports/feishu.js';
import type { LlmPort } from './ports/llm.js';
import type { MetricsQuery } from './ports/metrics-query.js';
import type { ApprovalDecider, Investigator, RunbookLauncher } from './ports/remediation.js';
import type { ToolHost } from './ports/tools.js';
import type { ReportDeps } from './reports/deps.js';
import { IncidentReportPoster } from './reports/incident-poster.js';
import { ReportQueries } from './reports/queries.js';
import { ReportScheduler } from './reports/schedule.js';
import { registerReportActions } from './reports/vote.js';
import type { Remediation } from './runbooks/service.js';
import type { RunningSandbox } from './sandbox/index.js';
import { Closers } from './shared/closers.js';
import { createLogger, type Logger } from './shared/log.js';
import { maskUrlSecrets } from './shared/mask-url.js';
import { Metrics } from './shared/metrics.js';
import { Store } from './store/index.js';
import { lockDatabase } from './store/lock.js';
import { ReportRunsRepo } from './store/repos/report-runs.js';
import { ReportVotesRepo } from './store/repos/report-votes.js';

export interface RunningApp {
  ctx: AppContext;
  http: HttpServer;
  /** Where card actions, commands and the message fallback are registered. */
  router: Router;
  /** Incident diagnoses (Investigate button, `diagnosis.auto`); `idle()` resolves when none is running. */
  diagnoser: IncidentDiagnoser;
  feishu: FeishuGateway;
  /** The Alertmanager intake (`idle()` resolves once every accepted body is applied). */
  intake: AlertIntake;
  /** Runbook runs and their approvals (`remediation.engine.idle()` resolves once no run is moving). */
  remediation: Remediation;
  address: AddressInfo;
  /** Graceful stop: no new requests, in-flight work finished, workers stopped, database closed. */
  stop(): Promise<void>;
  /** The agent's investigations (the Investigate button and `agent.auto` hand incidents to it). */
  investigator: import('./ports/remediation.js').Investigator;
  agent: import('./agent/register.js').Agent;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
  metrics?: Metrics;
  /** Overrides the LLM built from config.llm. */
  llm?: LlmPort;
  /** Overrides the Feishu client built from config.feishu. */
  feishu?: FeishuPort;
  /** Overrides the Alertmanager API client built from ALERTMANAGER_URL. */
  alertmanager?: AlertmanagerPort;
  /** Overrides the ToolHost built from config (clusters, PROMETHEUS_URL, mcpServers). */
  tools?: ToolHost;
  /** Overrides the cluster reader runbook checks use (built from the tool layer's clusters). */
  reader?: ClusterReader;
  /** Overrides the PromQL client runbook checks use (built from PROMETHEUS_URL). */
  metricsQuery?: MetricsQuery;
  /** The runbook engine behind /restart, /scale, /rollback, /run and /runbooks (absent: they say so). */
  launcher?: RunbookLauncher;
  /** Overrides where diagnoses read the cluster (and Prometheus) from; built from the clusters otherwise. */
  diagnosis?: DiagnosisSources;
  /** The LLM agent's investigation, handed the findings after an Investigate click. */
  investigator?: Investigator;
  /** Told after each incident diagnosis is recorded (e.g. an auto-fix following the findings). */
  onDiagnosed?: (e: DiagnosedEvent) => void;
  /** Overrides the approval decider the web console uses (default: the runbook engine's). */
  approvals?: ApprovalDecider;
}

/** Builds and starts the bot for a validated config. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const metrics = options.metrics ?? new Metrics();
  const clock = options.clock ?? systemClock;
  const closers = new Closers(log);
  try {
    return await compose(config, options, { log, metrics, clock, closers });
  } catch (err) {
    await closers.closeAll();
    throw err;
  }
}

async function compose(
  config: Config,
  options: StartOptions,
  { log, metrics, clock, closers }: { log: Logger; metrics: Metrics; clock: Clock; closers: Closers },
): Promise<RunningApp> {
  // One process per database: a second bot on the same file would post every card twice.
  const lock = lockDatabase(config.database.path, () => clock.now());
  closers.add('database lock', () => lock.release());
  const store = Store.open(config.database.path);
  closers.add('database', () => store.close());
  if (config.database.path !== ':memory:') {
    const checkpointer = store.checkpointInBackground(config.database.path, {
      onError: (message) => log.warn({ message }, 'background WAL checkpoint failed'),
    });
    closers.add('checkpointer', () => checkpointer.stop());
  }
  let llm = options.llm;
  if (!llm && config.llm) {
    const { OpenAiLlm } = await import('./llm/openai.js');
    llm = new OpenAiLlm({ baseUrl: config.llm.baseUrl, apiKey: config.llm.apiKey, model: config.llm.model, clock });
  }
  let tools = options.tools;
  let kube: KubeDeps | undefined;
  const http = new HttpServer({ log, metrics });
  if (!tools) {
    try {
      const built = await buildToolHost(config, {
        log,
        now: () => clock.now(),
        audit: store.audit,
        approvals: store.approvals,
        metrics,
      });
      tools = built.host;
      kube = built.kube;
      closers.add('tools', () => built.host.close());
      if (built.kube.clusters.size > 0) {
        http.addReadinessCheck('cluster', () => clusterReadiness(built.kube));
      } else {
        log.warn('no Kubernetes cluster configured (KUBECONFIG or clusters): cluster tools will say so');
      }
    } catch (err) {
      log.error({ err: (err as Error).message }, 'tool layer unavailable; continuing without tools');
    }
  }
  const ctx: AppContext = { config, log, store, clock, metrics, ...(llm ? { llm } : {}), ...(tools ? { tools } : {}) };

  http.addReadinessCheck('database', async () =>
    store.isOpen() ? { ok: true } : { ok: false, detail: 'database is closed' },
  );

  const incidents = incidentDeps(ctx);
  if (config.alertmanager.webhookToken === undefined) {
    log.warn('ALERTMANAGER_WEBHOOK_TOKEN is not set: Alertmanager webhooks are refused until it is (or "none")');
  }
  if (!config.feishu.defaultChatId && config.file.routes.every((r) => !r.chat_id)) {
    log.warn('no FEISHU_DEFAULT_CHAT_ID and no route names a chat: incidents are recorded, not posted');
  }
  const alertsReceived = metrics.counter('sre_nanobot_alerts_received_total', 'Alerts received from Alertmanager', [
    'status',
  ]);
  const intakeBacklog = metrics.gauge(
    'sre_nanobot_alert_webhook_backlog',
    'Alertmanager bodies stored and not applied yet',
  );
  const intakeFailed = metrics.counter(
    'sre_nanobot_alert_webhook_failures_total',
    'Alertmanager bodies whose processing failed (kept in alert_webhooks with the error)',
  );
  const intakeLag = metrics.gauge(
    'sre_nanobot_alert_webhook_apply_lag_seconds',
    'Longest wait between a 200 and its body being applied, in the last processing slice',
  );
  const intake = new AlertIntake(incidents, {
    onSlice: (s) => {
      intakeBacklog.set(s.backlog);
      intakeLag.set(s.lagMs / 1000);
      if (s.failed > 0) intakeFailed.inc(s.failed);
    },
  });
  mountAlertmanagerWebhook(http.router, {
    token: config.alertmanager.webhookToken,
    accept: async (body, raw) => {
      const id = await intake.accept(body, raw);
      const firing = body.alerts.filter((a) => a.status === 'firing').length;
      if (firing > 0) alertsReceived.inc({ status: 'firing' }, firing);
      if (firing < body.alerts.length) alertsReceived.inc({ status: 'resolved' }, body.alerts.length - firing);
      return id;
    },
  });

  // Feature handlers (card actions, commands, message handlers) register on the router before the gateway
  // starts, so events resumed at start-up reach them; the defaults answer what no feature takes.
  const router = new Router();
  const alertmanager =
    options.alertmanager ?? (config.alertmanager.url ? new AlertmanagerClient(config.alertmanager.url) : undefined);
  registerIncidentActions(router, incidents, alertmanager);
  // Reports: the incident report in the thread on resolve, its accuracy vote, the scheduled digests.
  const reports: ReportDeps = {
    config,
    store,
    clock,
    log: log.child({ component: 'reports' }),
    t: incidents.t,
    queries: new ReportQueries(store.db),
    votes: new ReportVotesRepo(store.db),
    ...(llm ? { llm } : {}),
  };
  registerReportActions(router, reports, incidents.routes);
  const reportPoster = new IncidentReportPoster(reports);
  reportPoster.start();
  closers.add('incident reports', () => reportPoster.stop());
  const digests = new ReportScheduler({ ...reports, runs: new ReportRunsRepo(store.db) });
  digests.start();
  closers.add('digests', () => digests.stop());
  // Runbooks and approvals: request → approval card → decision → engine → verification; resumed at start-up.
  const { loadRunbooks } = await import('./runbooks/loader.js');
  const { Remediation } = await import('./runbooks/service.js');
  const loaded = loadRunbooks();
  for (const p of loaded.problems) log.warn({ file: p.file, path: p.path }, `runbook left out: ${p.message}`);
  const remediation = new Remediation({
    config,
    store,
    clock,
    log: log.child({ component: 'runbooks' }),
    t: incidents.t,
    runbooks: loaded.runbooks,
    ...(tools ? { tools } : {}),
    ...(options.reader
      ? { reader: options.reader }
      : kube && kube.clusters.size > 0
        ? { reader: new KubeClusterReader(kube) }
        : {}),
    ...(options.metricsQuery
      ? { metrics: options.metricsQuery }
      : config.prometheus.url
        ? { metrics: new PrometheusMetricsQuery(prometheusDepsFromConfig(config, () => clock.now())) }
        : {}),
  });
  remediation.register(router);
  ctx.launcher = remediation.launcher;
  ctx.approvals = remediation.decider;
  ctx.autoRemediate = (incident, findings) => remediation.autoRemediate(incident, findings);
  registerDefaults(router);
  registerCommands(router, COMMANDS, {
    incidents,
    alertmanager,
    reports,
    launcher: options.launcher ?? remediation.launcher,
  });
  // Diagnosis in chat: `/diagnose`, the Investigate button, and new incidents of `diagnosis.auto` priorities.
  const diagnosisSources: DiagnosisSources | undefined =
    options.diagnosis ??
    (kube && kube.clusters.size > 0
      ? {
          reader: new KubeClusterReader(kube),
          metrics: config.prometheus.url
            ? new PrometheusMetricsQuery(prometheusDepsFromConfig(config, () => clock.now()))
            : undefined,
        }
      : undefined);
  registerCommands(router, [createDiagnoseCommand(diagnosisSources)], { incidents, alertmanager });
  // The LLM agent: conversations on @mention/p2p (a link of the message chain, before the defaults' fallback),
  // investigations behind the Investigator port, runs resumed by approval decisions.
  const { createAgent, registerAgent } = await import('./agent/register.js');
  const { budgetsFromConfig } = await import('./agent/budgets.js');
  const agent = createAgent({
    ctx,
    budgets: budgetsFromConfig(config.file.agent),
    memoryTokens: config.file.agent.memory_tokens,
    auto: config.file.agent.auto,
    launcher: options.launcher ?? remediation.launcher,
    diagnose: diagnosisSources ? agentDiagnosis(config, diagnosisSources, clock) : undefined,
  });
  registerAgent(router, agent);
  closers.add('agent', () => agent.stop());
  const diagnoser = new IncidentDiagnoser({
    incidents,
    sources: diagnosisSources,
    investigator: options.investigator ?? agent.investigator,
    llmConfigured: llm !== undefined,
    // Auto-fix follows each diagnosis: low-risk runbooks its findings propose, in `approvals.low.auto_namespaces`.
    onDiagnosed:
      options.onDiagnosed ??
      ((e) => {
        const incident = store.incidents.get(e.incidentId);
        if (!incident || e.diagnosis.findings.length === 0) return;
        remediation.autoRemediate(incident, e.diagnosis.findings).catch((err: unknown) => {
          log.warn({ incidentId: e.incidentId, err: (err as Error).message }, 'auto-fix after a diagnosis failed');
        });
      }),
  });
  registerInvestigate(router, diagnoser, incidents);
  const stopAutoDiagnosis = diagnoser.startAuto();
  closers.add('diagnosis', async () => {
    stopAutoDiagnosis();
    await diagnoser.stop();
  });
  const actors = new PeopleDirectory(config.file.people as Person[]);
  if (actors.openAccess) {
    log.warn(
      'no people configured: anyone in an incident’s chat may ack, resolve and silence it; approvals are refused until people are configured',
    );
  }
  // The web console (/console): reads the store, acts through lifecycle and can(), live over server-sent events.
  const webConsole = mountConsoleFor(http.router, {
    config,
    incidents,
    actors,
    log,
    metrics,
    decider: options.approvals ?? remediation.decider,
    launcher: remediation.launcher,
  });
  closers.add('console', () => webConsole.close());
  const feishu = startFeishuGateway({
    ctx,
    router,
    http,
    actors,
    ...(options.feishu ? { feishu: options.feishu } : {}),
  });
  closers.add('feishu', () => feishu.stop());
  if (feishu.port) {
    // On-call emails → open_ids, once at start-up (mentions fall back to the email meanwhile).
    void incidents.people.load(feishu.port, allPeople(config.file.routes, config.file.oncall), log);
    // People named by email, and on-call emails (on-call count as operators on their incidents).
    void actors.load(feishu.port, allPeople(config.file.routes, config.file.oncall), log);
  }
  const alerting = new AlertingServices(incidents, alertmanager);
  alerting.start();
  closers.add('alerting', () => alerting.stop());
  const resumed = remediation.start();
  if (resumed.length > 0) log.info({ runs: resumed }, 'runbook runs resumed after a restart');
  closers.add('runbooks', () => remediation.stop());
  if (config.file.oncall.rotations.length > 0) {
    // Rotation handovers patch the on-call line of live incident cards.
    const handovers = new HandoverRefresher(incidents);
    handovers.start();
    closers.add('on-call handovers', () => handovers.stop());
  }
  intake.start();
  closers.add('intake', () => intake.stop());
  const retention = store.retention({
    clock,
    policy: config.file.retention,
    onPruned: (pruned) => log.info({ pruned }, 'old outbox rows and event ids pruned'),
    onError: (err) => log.warn({ err }, 'pruning old outbox rows and event ids failed'),
  });
  retention.start();
  closers.add('retention', () => retention.stop());

  const address = await http.listen(config.http.port, config.http.host);
  closers.add('http', async () => {
    log.info('shutting down: draining HTTP requests');
    await http.close();
  });
  log.info({ host: address.address, port: address.port, mode: config.mode }, 'sre-nanobot listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= closers.closeAll().then(() => log.info('stopped'));
    return stopping;
  };
  return {
    ctx,
    http,
    router,
    diagnoser,
    feishu,
    intake,
    remediation,
    address,
    stop,
    investigator: agent.investigator,
    agent,
  };
}

/** The diagnosis engine over the diagnosis sources, for the agent's answers without an LLM and agent.auto. */
function agentDiagnosis(
  config: Config,
  sources: DiagnosisSources,
  clock: Clock,
): (scope: import('./diagnosis/scope.js').Scope) => Promise<import('./diagnosis/finding.js').Diagnosis> {
  return async (scope) => {
    const [{ diagnose }, { translator }] = await Promise.all([
      import('./diagnosis/engine.js'),
      import('./shared/i18n.js'),
    ]);
    return diagnose(scope, { reader: sources.reader, clock, t: translator(config.locale), metrics: sources.metrics });
  };
}

const USAGE = `Usage: sre-nanobot <command>

Commands:
  serve       run the bot (default); without Feishu credentials, runs the sandbox
  sandbox [--real-alerting]
              run the bot against a local Feishu emulator, simulated cluster and scripted LLM;
              alerts come from the cluster's state (kube-prometheus rules); --real-alerting runs
              Debian's prometheus and prometheus-alertmanager for them instead
  validate    check the configuration, the runbooks and the card templates, and exit;
              --schema prints the runbook format as JSON Schema (for editors)
  diagnose <namespace | kind/name> [-n ns] [--json]
              find the root cause of what is broken in a namespace or one resource (no LLM)
  mcp k8s     serve the Kubernetes tools over stdio (MCP), for any MCP client; write tools
              only preview (server-side dry run) unless --allow-writes is given; writes into
              protected namespaces (default kube-system) are refused unless --allow-protected
              is given, and writes outside namespaces.allow (when set) always are
  mcp prometheus
              serve the Prometheus tools over stdio (MCP)
  report daily|weekly [--at <YYYY-MM-DD | ISO time>] --dry-run
              print the card JSON of the daily or weekly digest as it would be posted at --at
  help        show this message

Configuration comes from the environment and the YAML file named by SRE_NANOBOT_CONFIG (see README.md).`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Registers a handler for SIGINT/SIGTERM; returns an unregister function. */
  onSignal: (handler: (signal: string) => void) => () => void;
}

/** Runs one CLI verb; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [verb = 'serve', ...rest] = argv;
  switch (verb) {
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    case 'validate':
      return validate(io, rest);
    case 'diagnose':
      return diagnoseCommand(rest, io);
    case 'report':
      return reportVerb(rest, io);
    case 'mcp': {
      const [which, ...flags] = rest;
      const { STDIO_SERVERS, serveStdio } = await import('./mcp/stdio.js');
      const allowWrites = flags.includes('--allow-writes');
      const allowProtected = flags.includes('--allow-protected');
      const usage =
        `usage: sre-nanobot mcp <${STDIO_SERVERS.join('|')}> ` +
        '(k8s: add --allow-writes to apply changes, and --allow-protected to permit them in protected namespaces)';
      if (
        !STDIO_SERVERS.includes(which as StdioServerName) ||
        flags.some((f) => f !== '--allow-writes' && f !== '--allow-protected') ||
        ((allowWrites || allowProtected) && which !== 'k8s')
      ) {
        io.err(usage);
        return 2;
      }
      const result = loadConfig(io.env);
      if (!result.ok) {
        io.err(formatProblems(result.problems));
        return 1;
      }
      await serveStdio(which as StdioServerName, result.config, { allowWrites, allowProtected });
      return 0;
    }
    case 'serve': {
      if (rest.length > 0) {
        io.err(`serve takes no arguments (got: ${rest.join(' ')})\n\n${USAGE}`);
        return 2;
      }
      const result = loadConfig(io.env);
      if (!result.ok) {
        io.err(formatProblems(result.problems));
        return 1;
      }
      if (result.config.mode === 'sandbox') {
        io.err('No Feishu credentials configured (FEISHU_APP_ID, FEISHU_APP_SECRET): starting the sandbox.');
        return sandbox(io);
      }
      return serve(result.config, io);
    }
    case 'sandbox': {
      const unknown = rest.filter((a) => a !== '--real-alerting');
      if (unknown.length > 0) {
        io.err(`sandbox takes only --real-alerting (got: ${unknown.join(' ')})\n\n${USAGE}`);
        return 2;
      }
      return sandbox(io, rest.includes('--real-alerting'));
    }
    default:
      io.err(`unknown command: ${verb}\n\n${USAGE}`);
      return 2;
  }
}

/**
 * `diagnose <namespace | kind/name> [-n ns] [--json]`: the diagnosis engine against the configured cluster
 * (KUBECONFIG or clusters), with Prometheus evidence when PROMETHEUS_URL is set; text in BOT_LOCALE, or JSON.
 */
async function diagnoseCommand(args: string[], io: CliIo): Promise<number> {
  const { parseTarget } = await import('./diagnosis/scope.js');
  const json = args.includes('--json');
  const parsed = parseTarget(args.filter((a) => a !== '--json'));
  if (!parsed.ok) {
    io.err(`usage: sre-nanobot diagnose <namespace | kind/name> [-n ns] [--json]: ${parsed.error}`);
    return 2;
  }
  const result = loadConfig(io.env);
  if (!result.ok) {
    io.err(formatProblems(result.problems));
    return 1;
  }
  const { config } = result;
  const [{ diagnose }, { renderDiagnosisText }, { KubeClusterReader }, { PrometheusMetricsQuery }, wire, i18n] =
    await Promise.all([
      import('./diagnosis/engine.js'),
      import('./diagnosis/render-text.js'),
      import('./mcp/k8s/reader.js'),
      import('./mcp/prometheus/metrics-query.js'),
      import('./mcp/wire.js'),
      import('./shared/i18n.js'),
    ]);
  const now = () => Date.now();
  const kube = wire.kubeDepsFromConfig(config, now, (p) => io.err(`Kubernetes unavailable: ${p}`));
  if (kube.clusters.size === 0) {
    io.err('no Kubernetes cluster is configured: set KUBECONFIG or clusters in the configuration');
    return 1;
  }
  const t = i18n.translator(config.locale);
  try {
    const d = await diagnose(parsed.scope, {
      reader: new KubeClusterReader(kube),
      clock: systemClock,
      t,
      metrics: config.prometheus.url
        ? new PrometheusMetricsQuery(wire.prometheusDepsFromConfig(config, now))
        : undefined,
    });
    io.out(json ? JSON.stringify(d, null, 2) : renderDiagnosisText(d, t));
    return 0;
  } catch (err) {
    io.err(`diagnosis failed: ${(err as Error).message}`);
    return 1;
  }
}

/** `report daily|weekly [--at <date>] --dry-run`: the digest's card JSON from the configured database. */
async function reportVerb(args: string[], io: CliIo): Promise<number> {
  const [{ reportCli }, { existsSync }, i18n] = await Promise.all([
    import('./reports/cli.js'),
    import('node:fs'),
    import('./shared/i18n.js'),
  ]);
  return reportCli(args, io, {
    config: () => {
      const r = loadConfig(io.env);
      return r.ok ? r : { ok: false, text: formatProblems(r.problems) };
    },
    open: (config) => {
      const path = config.database.path;
      if (path !== ':memory:' && !existsSync(path)) {
        return { ok: false, text: `no database at ${path} (DATABASE_PATH): nothing to report on yet` };
      }
      const store = Store.open(path);
      const deps: ReportDeps = {
        config,
        store,
        clock: systemClock,
        log: createLogger('warn'),
        t: i18n.translator(config.locale),
        queries: new ReportQueries(store.db),
        votes: new ReportVotesRepo(store.db),
      };
      return { ok: true, deps, close: () => store.close() };
    },
  });
}

/**
 * `validate`: everything `serve` would refuse, in one run — the environment, the YAML file (regexes, cron
 * schedules, durations, URLs), the runbooks (against the tools they call) and the card templates. URLs are
 * echoed with their credentials masked. `validate --schema` prints the runbook JSON Schema instead.
 */
async function validate(io: CliIo, args: string[]): Promise<number> {
  if (args.length === 1 && args[0] === '--schema') {
    const { runbookJsonSchema } = await import('./runbooks/schema.js');
    io.out(JSON.stringify(runbookJsonSchema(), null, 2));
    return 0;
  }
  if (args.length > 0) {
    io.err(`validate takes no arguments but --schema (got: ${args.join(' ')})\n\n${USAGE}`);
    return 2;
  }
  const result = loadConfig(io.env);
  const cards = validateCardTemplates();
  const runbooks = await validateRunbooks();
  const prompts = await validateAgentPrompts();
  const problems = [...(result.ok ? [] : result.problems), ...cards.problems, ...prompts.problems];
  if (problems.length > 0) io.err(formatProblems(problems));
  if (runbooks.problems.length > 0) io.err(runbooks.text);
  if (problems.length > 0 || runbooks.problems.length > 0) return 1;
  if (!result.ok) return 1;
  const { config } = result;
  io.out(`configuration OK (${config.configFile ?? 'no YAML file'}; mode: ${config.mode})`);
  const urls: [string, string | undefined][] = [
    ['Feishu', config.mode === 'tenant' ? config.feishu.domain : undefined],
    ['Alertmanager', config.alertmanager.url],
    ['Prometheus', config.prometheus.url],
    ['LLM', config.llm?.baseUrl],
  ];
  for (const [name, url] of urls) if (url) io.out(`  ${name.padEnd(13)}${maskUrlSecrets(url)}`);
  if (config.mode === 'sandbox' && config.configFile) {
    const leftOut = [
      ...(config.file.clusters.length > 0 ? ['clusters'] : []),
      ...(Object.keys(config.file.mcpServers).length > 0 ? ['mcpServers'] : []),
    ];
    io.out(
      `  the sandbox layers this file over its demo (its routes, people and settings win)${leftOut.length ? `; ${leftOut.join(' and ')} left out` : ''}`,
    );
  }
  io.out(`prompts OK (${prompts.count} files)`);
  io.out(`runbooks OK (${runbooks.count} runbooks)`);
  io.out(`cards OK (${cards.count} templates)`);
  return 0;
}

/** The prompts folder: every agent profile's front matter, toolset (against the built-in tools) and render. */
async function validateAgentPrompts(): Promise<{ count: number; problems: string[] }> {
  const [{ PromptSet }, { validatePrompts }, { K8S_TOOLS }, { PROMETHEUS_TOOLS }] = await Promise.all([
    import('./agent/prompts.js'),
    import('./agent/profiles.js'),
    import('./mcp/k8s/server.js'),
    import('./mcp/prometheus/server.js'),
  ]);
  const names = [...K8S_TOOLS.map((t) => `k8s.${t.name}`), ...PROMETHEUS_TOOLS.map((t) => `prometheus.${t.name}`)];
  return validatePrompts(new PromptSet(), names);
}

/** The runbooks folder, checked against the built-in tools' input schemas. */
async function validateRunbooks(): Promise<{ count: number; problems: unknown[]; text: string }> {
  const [{ loadRunbooks, formatRunbookProblems }, { toolCatalog }, { K8S_TOOLS }, { PROMETHEUS_TOOLS }] =
    await Promise.all([
      import('./runbooks/loader.js'),
      import('./runbooks/tool-args.js'),
      import('./mcp/k8s/server.js'),
      import('./mcp/prometheus/server.js'),
    ]);
  const { runbooks, problems } = loadRunbooks(undefined, { tools: toolCatalog([...K8S_TOOLS, ...PROMETHEUS_TOOLS]) });
  return { count: runbooks.size, problems, text: formatRunbookProblems(problems) };
}

/** Runs the sandbox until a signal; the caller's environment supplies the model, locale, log level and port. */
async function sandbox(io: CliIo, realAlerting = false): Promise<number> {
  const log = createLogger(io.env.LOG_LEVEL?.trim() || 'warn');
  let running: RunningSandbox;
  try {
    const { startSandbox } = await import('./sandbox/index.js');
    running = await startSandbox({
      env: io.env,
      log,
      ...(realAlerting ? { alerting: 'real' as const } : {}),
      startApp: (config) => startApp(config, { log }),
    });
  } catch (err) {
    io.err(`cannot start the sandbox: ${(err as Error).message}`);
    return 1;
  }
  io.out(running.banner());
  return new Promise<number>((resolve) => {
    const off = io.onSignal((signal) => {
      off();
      log.info({ signal }, 'signal received');
      io.out('stopping the sandbox…');
      running.stop().then(
        () => resolve(0),
        (err) => {
          io.err(`error during shutdown: ${(err as Error).message}`);
          resolve(1);
        },
      );
    });
  });
}

async function serve(config: Config, io: CliIo): Promise<number> {
  let app: RunningApp;
  try {
    app = await startApp(config);
  } catch (err) {
    io.err(`cannot start: ${(err as Error).message}`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    const off = io.onSignal((signal) => {
      off();
      app.ctx.log.info({ signal }, 'signal received');
      app.stop().then(
        () => resolve(0),
        (err) => {
          io.err(`error during shutdown: ${(err as Error).message}`);
          resolve(1);
        },
      );
    });
  });
}
