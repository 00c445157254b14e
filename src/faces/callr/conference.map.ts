import type { RoomDetail } from '../../core/conferences/conference-rooms.js';
import type {
  AccessLevel,
  ConferenceAccessRow,
  ConferenceParticipantRow,
  ParticipantStatus,
} from '../../core/conferences/conferences.tables.js';
import { toCallrDid, type CallrDid } from './did.map.js';
import { callrDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';

/**
 * The conference objects. The objects file names `CONFERENCE10` (a room's params) and
 * `CONFERENCE10.Room.Access` without describing them, so these shapes are Parley's, in CALLR's
 * style (docs/decisions.md): hashes for ids, `YYYY-MM-DD HH:MM:SS` datetimes, "" for "none".
 */

/** `CONFERENCE10.Room.Access`; `phone_number` is "" for a PIN-only access. */
export interface CallrRoomAccess {
  hash: string;
  level: AccessLevel;
  phone_number: string;
  pin: string;
}

/** `CONFERENCE10.Room`: `params` is the `CONFERENCE10` object given at creation. */
export interface CallrRoom {
  access: CallrRoomAccess[];
  date_creation: string;
  date_update: string;
  did: CallrDid[];
  hash: string;
  name: string;
  params: { open: boolean };
}

/** `CONFERENCE10.Room.Participant`: one call leg into a room. */
export interface CallrRoomParticipant {
  /** The access it was called through; "" once that access is gone. */
  access: string;
  announce: boolean;
  cli: string;
  date_joined: string;
  date_left: string;
  /** When `call_room_access` asked for the leg. */
  date_started: string;
  /** "" while the leg rings; then how the dialling ended (`CDR.Out.dialstatus` values). */
  dialstatus: string;
  hash: string;
  level: AccessLevel;
  number: string;
  room: string;
  status: 'CALLING' | 'JOINED' | 'LEFT' | 'FAILED';
}

const participantStatuses: Record<ParticipantStatus, CallrRoomParticipant['status']> = {
  calling: 'CALLING',
  joined: 'JOINED',
  left: 'LEFT',
  failed: 'FAILED',
};

const dateOrEmpty = (date: Date | null) => (date === null ? '' : callrDateTime(date));

export function toCallrRoomAccess(row: ConferenceAccessRow): CallrRoomAccess {
  return {
    hash: encodeHash('conference_access', row.id),
    level: row.level,
    phone_number: row.phoneNumber ?? '',
    pin: row.pin,
  };
}

export function toCallrRoom({ room, accesses, numbers }: RoomDetail): CallrRoom {
  return {
    access: accesses.map(toCallrRoomAccess),
    date_creation: callrDateTime(room.createdAt),
    date_update: callrDateTime(room.updatedAt),
    did: numbers.map(toCallrDid),
    hash: encodeHash('conference', room.id),
    name: room.name,
    params: { open: room.isOpen },
  };
}

export function toCallrRoomParticipant(row: ConferenceParticipantRow): CallrRoomParticipant {
  return {
    access: row.accessId === null ? '' : encodeHash('conference_access', row.accessId),
    announce: row.announce,
    cli: row.cli,
    date_joined: dateOrEmpty(row.joinedAt),
    date_left: dateOrEmpty(row.leftAt),
    date_started: callrDateTime(row.createdAt),
    dialstatus: row.dialStatus ?? '',
    hash: encodeHash('conference_participant', row.id),
    level: row.level,
    number: row.number,
    room: encodeHash('conference', row.roomId),
    status: participantStatuses[row.status],
  };
}
