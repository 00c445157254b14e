import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { Logger } from '../../platform/logger.js';
import { recordReportingEvents } from './record-reporting-events.js';
import { loadStates, saveStates } from './reporting-state.js';
import { isReportedType, parsePayload, Translator } from './reporting-translate.js';

/**
 * Writes reporting events and their aggregates from each relay batch, in the relay's transaction:
 * one read of the conversations' tracked states, then one insert of events, one upsert of
 * aggregates, one of filter values and one of states. A payload it cannot read is skipped with a
 * warning rather than stalling the outbox.
 */
export function createReportingConsumer(deps: { logger: Logger }): EventConsumer {
  return {
    name: 'reporting',
    async handle(tx, batch) {
      const parsed: { event: EventRow; payload: NonNullable<ReturnType<typeof parsePayload>> }[] = [];
      for (const event of batch) {
        if (!isReportedType(event.type)) continue;
        const payload = parsePayload(event);
        if (payload) parsed.push({ event, payload });
        else
          deps.logger.warn(
            { eventId: event.id, eventType: event.type },
            'reporting skipped an unreadable event',
          );
      }
      if (parsed.length === 0) return;
      const accountIds = [...new Set(parsed.map(({ event }) => event.accountId))];
      const conversationIds = [...new Set(parsed.map(({ payload }) => payload.conversation.id))];
      const book = await loadStates(tx, accountIds, conversationIds);
      const translator = new Translator(book);
      for (const { event, payload } of parsed) translator.translate(event, payload);
      await recordReportingEvents(tx, translator.output, translator.counted);
      await saveStates(tx, book);
    },
  };
}
