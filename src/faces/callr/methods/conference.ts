import { z } from 'zod';
import { callRoomAccess } from '../../../core/conferences/call-room-access.js';
import { roomAccessListSchema, roomNameSchema } from '../../../core/conferences/conference.schema.js';
import {
  createRoom,
  deleteRoom,
  getRoom,
  listRooms,
  updateRoom,
} from '../../../core/conferences/conference-rooms.js';
import { getParticipant, listRoomParticipants } from '../../../core/conferences/participants.js';
import { assignNumberToRoom, removeNumberFromRoom } from '../../../core/conferences/room-numbers.js';
import { DomainError, isDomainError } from '../../../platform/errors.js';
import { toCallrRoom, toCallrRoomParticipant } from '../conference.map.js';
import { e164Param } from '../formats.js';
import { decodeHash, type HashKind } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';
import { requireAdministrator, searchOptionsParam, searchResults } from './sub-accounts.js';

/**
 * Conference rooms (`conference/10.*`): rooms with PIN accesses, the DIDs that reach them, and
 * calls that bring an access's phone into its room. The SDKs call `create_room`, `assign_did`
 * and `call_room_access`; the other names follow them (docs/decisions.md). Changes to rooms need
 * an administrator; calling an access is open to every member, as placing calls is.
 */

/** An object's hash, decoded to its id; a string that is no hash of that kind finds nothing. */
function hashParam(kind: HashKind, what: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(64)
    .transform((hash) => {
      const id = decodeHash(kind, hash);
      if (id === null) throw new RpcError(rpcCodes.notFound, `${what} not found`);
      return id;
    });
}

const roomIdParam = hashParam('conference', 'Room');
const didIdParam = hashParam('did', 'DID');

/** `CONFERENCE10`: the room's params; null or absent `open` means open on create, unchanged on update. */
const roomParamsSchema = z.strictObject({ open: z.boolean().nullish() }).nullish();

/** The CLI to present: "BLOCKED", one of the account's numbers or authorized CLIs, or "" (default). */
const cliParam = z
  .union([z.literal(''), z.literal('BLOCKED'), e164Param])
  .nullish()
  .transform((cli) => cli ?? '');

/** Renames a core error's field paths to the params they came from, so the message names the param. */
async function namingParams<T>(work: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!isDomainError(error) || error.details.length === 0) throw error;
    const details = error.details.map((detail) => ({ ...detail, path: names[detail.path] ?? detail.path }));
    throw new DomainError(error.code, error.message, details);
  }
}

const roomMethods: RpcMethod[] = [
  defineMethod({
    name: 'conference/10.create_room',
    params: [
      param('name', roomNameSchema),
      param('params', roomParamsSchema),
      param('access', roomAccessListSchema.nullish()),
    ],
    handler: async ({ ctx, access }, [name, params, accesses]) => {
      requireAdministrator(access, 'create conference rooms');
      const room = await createRoom(ctx.db, access.accountId, {
        name,
        isOpen: params?.open ?? undefined,
        accesses: accesses ?? undefined,
      });
      return toCallrRoom(room);
    },
  }),
  defineMethod({
    name: 'conference/10.get_room',
    params: [param('room_id', roomIdParam)],
    handler: async ({ ctx, access }, [roomId]) =>
      toCallrRoom(await getRoom(ctx.db, access.accountId, roomId)),
  }),
  defineMethod({
    name: 'conference/10.get_room_list',
    params: [param('search_options', searchOptionsParam(['id', '-id', 'name', '-name'], 'id'))],
    handler: async ({ ctx, access }, [page]) => {
      const { items, total } = await listRooms(ctx.db, access.accountId, {
        offset: page.offset,
        limit: page.quantity,
        order: page.order,
      });
      return searchResults(items.map(toCallrRoom), page.offset, total);
    },
  }),
  defineMethod({
    name: 'conference/10.update_room',
    params: [
      param('room_id', roomIdParam),
      param('name', roomNameSchema.nullish()),
      param('params', roomParamsSchema),
      param('access', roomAccessListSchema.nullish()),
    ],
    handler: async ({ ctx, access }, [roomId, name, params, accesses]) => {
      requireAdministrator(access, 'change conference rooms');
      const room = await updateRoom(ctx.db, access.accountId, roomId, {
        name: name ?? undefined,
        isOpen: params?.open ?? undefined,
        accesses: accesses ?? undefined,
      });
      return toCallrRoom(room);
    },
  }),
  defineMethod({
    name: 'conference/10.delete_room',
    params: [param('room_id', roomIdParam)],
    handler: async ({ ctx, access }, [roomId]) => {
      requireAdministrator(access, 'delete conference rooms');
      await deleteRoom(ctx.db, access.accountId, roomId);
      return true;
    },
  }),
];

const didMethods: RpcMethod[] = [
  defineMethod({
    name: 'conference/10.assign_did',
    params: [param('room_id', roomIdParam), param('did_id', didIdParam)],
    handler: async ({ ctx, access }, [roomId, numberId]) => {
      requireAdministrator(access, 'assign DIDs to conference rooms');
      const { accountId } = access;
      await namingParams(assignNumberToRoom(ctx.db, { accountId, roomId, numberId }), { number: 'did_id' });
      return toCallrRoom(await getRoom(ctx.db, accountId, roomId));
    },
  }),
  defineMethod({
    name: 'conference/10.remove_did',
    params: [param('did_id', didIdParam)],
    handler: async ({ ctx, access }, [numberId]) => {
      requireAdministrator(access, 'remove DIDs from conference rooms');
      await removeNumberFromRoom(ctx.db, { accountId: access.accountId, numberId });
      return true;
    },
  }),
];

const participantMethods: RpcMethod[] = [
  defineMethod({
    name: 'conference/10.call_room_access',
    params: [
      param('room_access_id', hashParam('conference_access', 'Room access')),
      param('cli', cliParam),
      param('announce', z.boolean().nullish()),
    ],
    handler: async ({ ctx, access }, [accessId, cli, announce]) => {
      const participant = await namingParams(
        callRoomAccess(ctx.db, { accountId: access.accountId, accessId, cli, announce: announce ?? false }),
        { access: 'room_access_id' },
      );
      return toCallrRoomParticipant(participant);
    },
  }),
  defineMethod({
    name: 'conference/10.get_participants',
    params: [param('room_id', roomIdParam)],
    handler: async ({ ctx, access }, [roomId]) => {
      const rows = await listRoomParticipants(ctx.db, access.accountId, roomId);
      return rows.map(toCallrRoomParticipant);
    },
  }),
  defineMethod({
    name: 'conference/10.get_participant',
    params: [param('participant_id', hashParam('conference_participant', 'Participant'))],
    handler: async ({ ctx, access }, [participantId]) =>
      toCallrRoomParticipant(await getParticipant(ctx.db, access.accountId, participantId)),
  }),
];

export const conferenceMethods: readonly RpcMethod[] = [...roomMethods, ...didMethods, ...participantMethods];
