import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { ExportedCall, ExportedContact, ExportRelation } from '../../core/calls/export-calls.js';
import { crmOfContact } from '../../core/calls/call-snapshot.js';
import type { ExportCallsBody, exportedCallSchema } from './schemas.js';
import { modjoLanguageOf } from './languages.js';

type ExportedCallDto = z.infer<typeof exportedCallSchema>;

/** Modjo's relation flags, as the core's relations ("aiSummary" is the deprecated name of highlights). */
export function coreRelationsOf(flags: ExportCallsBody['relations']): Set<ExportRelation> {
  const relations = new Set<ExportRelation>();
  const direct: ExportRelation[] = [
    'recording',
    'contacts',
    'users',
    'tags',
    'transcript',
    'speakers',
    'summary',
    'highlights',
    'topics',
  ];
  for (const relation of direct) if (flags[relation]) relations.add(relation);
  if (flags.aiSummary) relations.add('highlights');
  return relations;
}

/** A stable UUID naming the summarizer that wrote a summary (Modjo's summary template). */
export function templateUuidOf(engine: string | null): string {
  const hex = createHash('sha256')
    .update(`parley-summary-template:${engine ?? 'none'}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function contactDto(contact: ExportedContact) {
  const crm = crmOfContact(contact);
  return {
    contactId: contact.id,
    name: contact.name,
    contactCrmId: crm.crmId,
    contactCrmType: 'Contact',
    contactEmail: contact.email,
    contactPhoneNumber: contact.phoneNumber,
  };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

export function toExportedCallDto(
  item: ExportedCall,
  flags: ExportCallsBody['relations'],
  recordingUrlOf: (key: string) => string,
): ExportedCallDto {
  const { call } = item;
  const relations: ExportedCallDto['relations'] = {};
  if (flags.recording) {
    relations.recording = call.recordingKey
      ? {
          url: recordingUrlOf(call.recordingKey),
          format: call.recordingFormat,
          duration: call.recordingDurationSeconds,
          size: call.recordingSize,
        }
      : null;
  }
  if (item.contacts) relations.contacts = item.contacts.map(contactDto);
  if (item.users)
    relations.users = item.users.map((user) => ({ userId: user.id, userEmail: user.email, name: user.name }));
  if (flags.account)
    relations.account = call.crmAccountId ? { crmId: call.crmAccountId, crm: call.crmAccountProvider } : null;
  if (flags.deal)
    relations.deal = call.crmDealId ? { crmId: call.crmDealId, crm: call.crmDealProvider } : null;
  if (item.tags) {
    relations.tags = item.tags.map((tag) => ({
      modjoTagId: tag.id,
      name: tag.name,
      color: tag.color,
      providerTagId: tag.providerTagId,
    }));
  }
  if (item.transcript) {
    relations.transcript = item.transcript.map((segment) => ({
      speakerId: segment.speakerId,
      startTime: round(segment.startSeconds),
      endTime: round(segment.endSeconds),
      content: segment.text,
    }));
  }
  if (item.speakers) {
    relations.speakers = item.speakers.map((speaker) =>
      speaker.kind === 'user' && speaker.userId !== null
        ? {
            userId: speaker.userId,
            userCrmId: null,
            email: speaker.userEmail ?? '',
            name: speaker.userName ?? '',
            speakerId: speaker.id,
            type: 'user' as const,
          }
        : {
            contactId: speaker.contact?.id ?? 0,
            name: speaker.contact?.name ?? 'Unknown speaker',
            phoneNumber: speaker.contact?.phoneNumber ?? null,
            email: speaker.contact?.email ?? null,
            contactCrmId: speaker.contact ? crmOfContact(speaker.contact).crmId : null,
            speakerId: speaker.id,
            type: 'contact' as const,
          },
    );
  }
  if (flags.summary) {
    relations.summary =
      call.summary === null
        ? null
        : { content: call.summary, templateUuid: templateUuidOf(call.summaryEngine), summaryCrmId: null };
  }
  if (item.highlights) {
    const highlights = item.highlights.map((highlight) => ({
      speakerId: highlight.speakerId,
      startTime: round(highlight.startSeconds),
      endTime: round(highlight.endSeconds),
      content: highlight.text,
    }));
    if (flags.highlights) relations.highlights = highlights;
    if (flags.aiSummary) relations.aiSummary = highlights;
  }
  if (item.topics) {
    relations.topics = item.topics.map((topic) => ({
      name: topic.name,
      score: topic.score,
      startTime: topic.startSeconds,
    }));
  }
  // Libraries, reviews and AI scoring are Modjo features Parley does not have: always empty.
  if (flags.libraries) relations.libraries = [];
  if (flags.reviews) relations.reviews = [];
  if (flags.aiScoringResults) relations.aiScoringResults = [];
  return {
    callId: call.id,
    title: call.title,
    startDate: call.startedAt?.toISOString() ?? null,
    duration: call.durationSeconds,
    provider: call.provider,
    providerCallId: call.externalId ?? String(call.id),
    direction: call.direction,
    language: modjoLanguageOf(call.language),
    callCrmId: call.crmActivityId,
    relations,
  };
}
