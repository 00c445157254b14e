import { createRequire } from 'node:module';
import type { Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { openDatabase, type Database } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import { createMetrics } from './platform/http/metrics.js';
import { createHttpServer } from './platform/http/server.js';
import type { TypedApp } from './platform/http/typed-app.js';
import { registerOpsRoutes } from './platform/http/ops.routes.js';
import { registerOpenApi } from './platform/http/openapi.js';
import type { AppContext } from './platform/app-context.js';
import { countPendingByQueue, JobRegistry, JobWorker, resolveNodeId } from './platform/jobs/index.js';
import { EventRelay } from './platform/events/relay.js';
import { createOutboundClient } from './platform/outbound/guarded-fetch.js';
import { createWebhookEngine } from './core/webhooks/webhook-engine.js';
import type { WebhookPolicy } from './core/webhooks/delivery-policy.js';
import { createRealtimeBus, type RealtimeBus } from './platform/realtime/realtime-bus.js';
import { ApiKeyCache, listenForApiKeyRevocations } from './core/identity/api-key-cache.js';
import type { EventRow } from './platform/events/events.tables.js';
import { blobRoot, createLocalBlobStorage } from './platform/storage/local-blob-storage.js';
import { instanceSecret } from './platform/auth/instance-secrets.js';
import { publicUrl } from './platform/config.js';
import { registerBlobRoutes } from './platform/http/blob.routes.js';
import { registerWebApp, webAppDir } from './platform/http/web-app.js';
import { registerWidgetCors } from './platform/http/widget-cors.js';
import { registerWidgetScript } from './platform/http/widget-script.js';
import { closeHttpServer } from './platform/http/close-server.js';
import { registerRateLimits } from './platform/http/rate-limit.js';
import { registerTokenPolicy, tokenPolicyOf } from './platform/http/token-policy.js';
import { frameworkErrorHandler, installErrorHandlers } from './platform/http/error-handler.js';
import { renderChatwootError } from './faces/chatwoot/errors.js';
import { renderModjoError } from './faces/modjo/errors.js';
import websocket from '@fastify/websocket';
import { renderNativeError } from './faces/native/errors.js';
import { registerNativeFace } from './faces/native/index.js';
import { registerChatwootFace } from './faces/chatwoot/index.js';
import { createMaintenanceJob } from './maintenance.js';
import { reopenSnoozedConversationJob } from './core/conversations/snooze.jobs.js';
import { nativeWebhookFormat } from './faces/native/webhook-format.js';
import { createCallsRuntime } from './core/calls/calls-runtime.js';
import { callUserInvitationsConsumer } from './core/calls/call-user-invitations.js';
import { registerModjoFace } from './faces/modjo/index.js';
import { registerDixaFace } from './faces/dixa/index.js';
import { renderDixaError } from './faces/dixa/errors.js';
import { registerDiabolocomFace } from './faces/diabolocom/index.js';
import { registerCallrFace, renderCallrProblem } from './faces/callr/index.js';
import { createCallrRuntime } from './faces/callr/callr-runtime.js';
import { callrRealtimeCodec } from './faces/callr/realtime-codec.js';
import { createNumbersRuntime } from './core/numbers/numbers-runtime.js';
import { createTelephonyRuntime } from './core/telephony/telephony-runtime.js';
import { TELEPHONY_QUEUE } from './core/telephony/telephony.jobs.js';
import { DIALER_QUEUE } from './core/dialer/dialer-sweep.js';
import { createSmsRuntime } from './core/sms/sms-runtime.js';
import { createMediaRuntime } from './core/media/media-runtime.js';
import { createConferencesRuntime } from './core/conferences/conferences-runtime.js';
import { createBroadcastsRuntime } from './core/broadcasts/broadcasts-runtime.js';
import { renderDiabolocomError } from './faces/diabolocom/errors.js';
import { createDixaRuntime } from './faces/dixa/dixa-runtime.js';
import { createRoutingRuntime } from './core/routing/routing-runtime.js';
import { createActivityLogRuntime } from './core/activity-log/activity-log-runtime.js';
import { createAnalyticsRuntime } from './core/analytics/analytics-runtime.js';
import { createAnonymizationRuntime } from './core/anonymization/anonymization-runtime.js';
import { createContactBatchesRuntime } from './core/campaigns/contact-batches.runtime.js';
import { createDialerRuntime } from './core/dialer/dialer-runtime.js';
import { createWhatsappRuntime } from './core/whatsapp/whatsapp-runtime.js';
import { createAutomationRuntime } from './core/automation/automation-runtime.js';
import { createScheduledMessagesRuntime } from './core/scheduled-messages/scheduled-messages-runtime.js';
import { createAuditLogRuntime } from './core/audit-log/audit-log-runtime.js';
import { createReportsRuntime } from './core/reports/reports-runtime.js';
import { createIntegrationsRuntime } from './core/integrations/integrations-runtime.js';
import { createPresenceRuntime } from './core/presence/presence-runtime.js';
import { modjoWebhookFormat } from './faces/modjo/webhook-format.js';
import { createChatwootWebhookFormats } from './faces/chatwoot/webhook-formats/index.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface Parley {
  ctx: AppContext;
  server: TypedApp;
  worker: JobWorker;
  relay: EventRelay;
  /** Starts background work (job worker, event relay). HTTP listening is the caller's choice. */
  startBackground(): Promise<void>;
  /** Stops in dependency order: HTTP first (drains requests), then background work, then the database. */
  close(): Promise<void>;
}

export interface CreateParleyOptions {
  config: Config;
  /** An already open database (tests); otherwise opened from the config and closed with the app. */
  database?: Database;
  logger?: Logger;
  /** Tests shorten retry schedules; production uses the shared policy. */
  webhookPolicy?: Partial<WebhookPolicy>;
  /** The time web sessions expire by; tests pass a virtual clock (core/telephony/clock.ts). */
  clock?: { now(): Date };
}

const OUTBOUND_MAX_RESPONSE_BYTES = 64 * 1024;
/** In-flight requests get this long on shutdown; then their sockets are closed. */
const HTTP_CLOSE_GRACE_MS = 500;
/** Running jobs get this long on shutdown; then they are aborted and retried later. */
const JOB_STOP_GRACE_MS = 1_000;

export async function createParley(options: CreateParleyOptions): Promise<Parley> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const database =
    options.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.PARLEY_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  const ownsDatabase = !options.database;
  await migrate(database.db);

  const metrics = createMetrics(() => countPendingByQueue(database.db));
  const outbound = createOutboundClient({
    allowlist: config.PARLEY_OUTBOUND_ALLOWLIST,
    timeoutMs: config.PARLEY_WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: OUTBOUND_MAX_RESPONSE_BYTES,
    maxRedirects: 3,
  });
  const webhooks = createWebhookEngine({
    db: database.db,
    outbound,
    logger,
    policy: { timeoutMs: config.PARLEY_WEBHOOK_TIMEOUT_MS, ...options.webhookPolicy },
    onAttempt: (format, outcome) => metrics.webhookDeliveries.inc({ format, outcome }),
  });
  webhooks.formats.register(nativeWebhookFormat);
  const bus = createRealtimeBus({
    database,
    redisUrl: config.REDIS_URL,
    onError: (error) => logger.warn({ err: error }, 'real-time delivery failed'),
  });
  const signingSecret =
    config.PARLEY_SIGNING_SECRET ?? (await instanceSecret(database.db, 'blob-url-signing'));
  const storage = createLocalBlobStorage({
    root: blobRoot(config.PARLEY_DATA_DIR),
    publicUrl: publicUrl(config),
    signingSecret,
  });
  for (const format of createChatwootWebhookFormats(storage)) webhooks.formats.register(format);
  webhooks.formats.register(modjoWebhookFormat);
  const maintenance = createMaintenanceJob({ db: database.db, config, logger, storage });
  const calls = createCallsRuntime({ config, db: database.db, storage, logger });
  const runtimeDeps = { config, db: database.db, logger, storage };
  const modules = [
    createRoutingRuntime(runtimeDeps),
    createActivityLogRuntime(runtimeDeps),
    createAnalyticsRuntime(runtimeDeps),
    createAnonymizationRuntime(runtimeDeps),
    createDixaRuntime(runtimeDeps),
    createContactBatchesRuntime(runtimeDeps),
    createDialerRuntime(runtimeDeps),
    createNumbersRuntime(runtimeDeps),
    createTelephonyRuntime(runtimeDeps, { realtimeCodec: callrRealtimeCodec }),
    createSmsRuntime(runtimeDeps),
    createMediaRuntime(runtimeDeps),
    createConferencesRuntime(runtimeDeps),
    createBroadcastsRuntime(runtimeDeps),
    createCallrRuntime(runtimeDeps),
    createWhatsappRuntime(runtimeDeps),
    createAutomationRuntime(runtimeDeps),
    createScheduledMessagesRuntime(runtimeDeps),
    createAuditLogRuntime(runtimeDeps),
    createReportsRuntime(runtimeDeps),
    createIntegrationsRuntime(runtimeDeps),
    createPresenceRuntime(runtimeDeps),
  ];
  for (const module of modules) for (const format of module.webhookFormats) webhooks.formats.register(format);
  const jobs = new JobRegistry().register(
    webhooks.deliverJob,
    maintenance.job,
    reopenSnoozedConversationJob,
    ...calls.jobs,
    ...modules.flatMap((module) => module.jobs),
  );
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    logger,
    metrics,
    jobs,
    outbound,
    webhooks,
    bus,
    storage,
  };

  // Separate slots per class of work: a hanging webhook endpoint cannot hold up call processing,
  // nor a long transcription the webhooks (DESIGN.md "Fair and isolated").
  const worker = new JobWorker({
    database,
    registry: jobs,
    logger,
    pools: [
      {
        name: 'webhooks',
        queues: [webhooks.deliverJob.queue],
        concurrency: config.PARLEY_WEBHOOK_CONCURRENCY,
      },
      {
        name: 'calls',
        queues: [...new Set(calls.jobs.map((job) => job.queue))],
        concurrency: config.PARLEY_CALL_CONCURRENCY,
      },
      // Calls in progress wait on these: a long import or transcription must not delay them.
      {
        name: 'live-calls',
        queues: [DIALER_QUEUE, TELEPHONY_QUEUE],
        concurrency: config.PARLEY_LIVE_CALL_CONCURRENCY,
      },
      { name: 'default', concurrency: config.PARLEY_JOB_CONCURRENCY },
    ],
    nodeId: resolveNodeId({ configured: config.PARLEY_NODE_ID, dataDir: config.PARLEY_DATA_DIR }),
    pollMs: config.PARLEY_JOB_POLL_MS,
    onOutcome: (name, outcome) => metrics.jobOutcomes.inc({ name, outcome }),
  });
  const relay = new EventRelay({
    database,
    consumers: [
      webhooks.fanOut,
      callUserInvitationsConsumer,
      ...modules.flatMap((module) => module.consumers),
    ],
    onDispatched: [(batch) => publishEvents(bus, batch)],
    logger,
    pollMs: config.PARLEY_JOB_POLL_MS,
  });

  const server = await createHttpServer({
    config,
    logger,
    metrics,
    frameworkErrors: frameworkErrorHandler(() => ({
      byPrefix: [
        { prefix: '/chatwoot/', render: renderChatwootError },
        { prefix: '/modjo/', render: renderModjoError },
        { prefix: '/dixa/', render: renderDixaError },
        { prefix: '/diabolocom/', render: (problem) => renderDiabolocomError(problem) },
        { prefix: '/callr/', render: renderCallrProblem },
      ],
      fallback: renderNativeError,
    })),
  });
  installErrorHandlers(server, renderNativeError);
  // Before the faces: the widget's routes answer every origin (widget-cors.ts).
  registerWidgetCors(server);
  registerWidgetScript(server, { webAppDir: webAppDir(config) });
  const rateLimits = await registerRateLimits(server, config);
  registerTokenPolicy(server, tokenPolicyOf(config, options.clock));
  const apiKeyCache = new ApiKeyCache();
  server.decorate('apiKeyCache', apiKeyCache);
  let stopApiKeyCache: (() => Promise<void>) | undefined;
  await server.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await registerOpenApi(server, version);
  registerOpsRoutes(server, { database, metrics, config });
  registerBlobRoutes(server, { storage, signingSecret, uploadHooks: [calls.uploadHooks] });
  await registerNativeFace(server, ctx);
  await registerChatwootFace(server, ctx);
  await registerModjoFace(server, ctx);
  await registerDixaFace(server, ctx);
  await registerDiabolocomFace(server, ctx);
  await registerCallrFace(server, ctx);
  // Last: it serves pages only where nothing above answers (see web-app.ts).
  await registerWebApp(server, { dir: webAppDir(config) });

  let isClosed = false;
  let isBackgroundStarted = false;
  return {
    ctx,
    server,
    worker,
    relay,
    async startBackground() {
      if (isBackgroundStarted) return;
      isBackgroundStarted = true;
      // Every node pushes to its own WebSocket clients; only worker nodes relay and run jobs.
      await bus.start();
      stopApiKeyCache = await listenForApiKeyRevocations(database, apiKeyCache, (error) =>
        logger.warn({ err: error }, 'undecodable revocation notice'),
      );
      if (!config.PARLEY_WORKERS) return;
      await relay.start();
      await maintenance.schedule(database.db);
      await worker.start();
      for (const module of modules) await module.start?.(database.db);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      // HTTP and background work stop side by side, each with a short grace period, so SIGTERM ends
      // in about a second whatever clients hold open; what they were doing is durable (jobs, outbox).
      await Promise.all([
        closeHttpServer(server, HTTP_CLOSE_GRACE_MS),
        relay.stop().then(() => worker.stop({ timeoutMs: JOB_STOP_GRACE_MS })),
      ]);
      await outbound.close();
      await calls.close();
      await bus.close();
      await stopApiKeyCache?.();
      await rateLimits.close();
      if (ownsDatabase) await database.close();
    },
  };
}

async function publishEvents(bus: RealtimeBus, batch: EventRow[]): Promise<void> {
  await bus.publishMany(
    batch.map((event) => ({
      accountId: event.accountId,
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
    })),
  );
}
