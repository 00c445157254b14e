import type { Db } from '../../platform/db/database.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { WebhookSubscriptionRow } from './webhooks.tables.js';

/** A rendered payload: the exact body to send and the event name in the format's own vocabulary. */
export interface RenderedWebhook {
  eventType: string;
  body: string;
}

export interface SignedRequest {
  headers: Record<string, string>;
}

/** What the engine knows about an event's account, loaded once per batch for every format. */
export interface RenderContext {
  account: { id: number; name: string };
  /** What the format's `prepare` loaded for this batch; absent for formats without one. */
  prepared?: unknown;
}

/**
 * How one face shapes and signs webhooks. The engine owns delivery (jobs, retries, logs, SSRF);
 * a format owns only bytes and headers.
 */
export interface WebhookFormat {
  name: string;
  /** Returns null when this format has no webhook for the event. */
  render(
    event: EventRow,
    subscription: WebhookSubscriptionRow,
    context: RenderContext,
  ): RenderedWebhook | null;
  /**
   * Optional: one event that stands for several of the format's webhooks (e.g. two tags added in
   * one change). When present it is used instead of `render`; an empty list means none.
   */
  renderMany?(
    event: EventRow,
    subscription: WebhookSubscriptionRow,
    context: RenderContext,
  ): RenderedWebhook[];
  /**
   * Optional: loads, once per batch and in the fan-out's transaction, what rendering needs beyond
   * the event rows (e.g. the public ids a face shows for Parley's numeric ones); handed to render
   * as `context.prepared`. Called only with the events of accounts that have this format's subscriptions.
   */
  prepare?(db: Db, events: EventRow[]): Promise<unknown>;
  /**
   * Optional: the bytes of one attempt, for formats whose payload counts attempts (CALLR's `try`).
   * Gets the stored body and the attempt number (1 for the first); what it returns is what is
   * signed and sent. Without it every attempt sends the stored body.
   */
  bodyForAttempt?(body: string, attempt: number): string;
  /** Headers for one attempt; called again on each retry so timestamps are fresh. */
  sign(input: {
    deliveryId: string;
    eventType: string;
    body: string;
    subscription: WebhookSubscriptionRow;
    timestampSeconds: number;
  }): SignedRequest;
  /** A secret for a new subscription, in the format's expected shape. */
  generateSecret(): string;
}

export class WebhookFormats {
  private readonly formats = new Map<string, WebhookFormat>();

  register(format: WebhookFormat): this {
    this.formats.set(format.name, format);
    return this;
  }

  get(name: string): WebhookFormat | undefined {
    return this.formats.get(name);
  }
}
