import type { TranscriptSegmentResult } from '../engines.js';

export interface SpeakerPlan {
  kind: 'user' | 'contact' | 'unknown';
  userId: number | null;
  contactId: number | null;
  channel: number | null;
  label: string | null;
}

/**
 * Who spoke each segment. Dual-channel recordings carry one voice per channel: channel 0 is the
 * call's user (the agent side, as telephony providers record it) and channel 1, 2, ... are the
 * call's contacts in upload order. Mixed recordings use the engine's diarization labels in order of
 * first appearance: the first voice is the user, the next ones the contacts. Voices beyond the known
 * people, and a mixed recording without labels (one undivided voice), become "unknown speaker"
 * contacts, as Modjo's export describes.
 */
export function planSpeakers(
  segments: readonly TranscriptSegmentResult[],
  people: { userId: number | null; contactIds: readonly number[] },
): { speakers: SpeakerPlan[]; speakerOfSegment: number[] } {
  const speakers: SpeakerPlan[] = [];
  const byVoice = new Map<string, number>();
  let labelsSeen = 0;
  const known: { kind: 'user' | 'contact'; id: number }[] = [
    ...(people.userId === null ? [] : [{ kind: 'user' as const, id: people.userId }]),
    ...people.contactIds.map((id) => ({ kind: 'contact' as const, id })),
  ];
  const speakerOfSegment = segments.map((segment) => {
    const voice =
      segment.channel !== null ? `channel:${segment.channel}` : `label:${segment.speakerLabel ?? ''}`;
    const existing = byVoice.get(voice);
    if (existing !== undefined) return existing;
    const person =
      segment.channel !== null
        ? personOfChannel(segment.channel, people)
        : segment.speakerLabel !== null
          ? known[labelsSeen++]
          : undefined;
    speakers.push({
      kind: person?.kind ?? 'unknown',
      userId: person?.kind === 'user' ? person.id : null,
      contactId: person?.kind === 'contact' ? person.id : null,
      channel: segment.channel,
      label: segment.speakerLabel,
    });
    byVoice.set(voice, speakers.length - 1);
    return speakers.length - 1;
  });
  return { speakers, speakerOfSegment };
}

function personOfChannel(
  channel: number,
  people: { userId: number | null; contactIds: readonly number[] },
): { kind: 'user' | 'contact'; id: number } | undefined {
  if (channel === 0) return people.userId === null ? undefined : { kind: 'user', id: people.userId };
  const contactId = people.contactIds[channel - 1];
  return contactId === undefined ? undefined : { kind: 'contact', id: contactId };
}
