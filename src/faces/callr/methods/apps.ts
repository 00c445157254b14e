import { z } from 'zod';
import type { PhoneNumberRow } from '../../../core/numbers/numbers.tables.js';
import { isAdministrator } from '../../../core/identity/principal.js';
import { authorizedCliTypes } from '../../../core/voice-apps/authorized-clis.tables.js';
import { listAuthorizedClis } from '../../../core/voice-apps/authorized-clis.js';
import {
  assignNumberToApp,
  createVoiceApp,
  deleteVoiceApp,
  editVoiceApp,
  findVoiceApp,
  listAccountNumbers,
  listVoiceApps,
  numbersOfApps,
  removeNumberFromApp,
} from '../../../core/voice-apps/voice-apps.js';
import { voiceAppPackages } from '../../../core/voice-apps/voice-apps.tables.js';
import { toCallrApp, type CallrApp } from '../app.map.js';
import { toCallrDid } from '../did.map.js';
import { decodeHash } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcCall, type RpcMethod } from '../rpc-method.js';

/**
 * Voice apps (`apps.*`): create/edit/get/delete/list apps, assign the account's DIDs to them,
 * list the DIDs and the authorized CLIs. Reads are open to every member; changes need an
 * administrator, as in the rest of Parley.
 */

const hashParam = z.string().trim().min(1).max(64);
const optionsParam = z.record(z.string(), z.unknown()).nullish();
const flagParam = z.boolean().nullish();

function requireAdministrator(call: RpcCall): void {
  if (!isAdministrator(call.access)) {
    throw new RpcError(rpcCodes.forbidden, 'Only an administrator can change voice apps');
  }
}

/** An app id from its hash; anything that is not one of this account's apps is not found. */
function appIdOf(hash: string): number {
  const id = decodeHash('app', hash);
  if (id === null) throw new RpcError(rpcCodes.notFound, 'App not found');
  return id;
}

function numberIdOf(hash: string): number {
  const id = decodeHash('did', hash);
  if (id === null) throw new RpcError(rpcCodes.notFound, 'DID not found');
  return id;
}

async function appWithNumbers(call: RpcCall, appId: number): Promise<CallrApp> {
  const { db } = call.ctx;
  const row = await findVoiceApp(db, call.access.accountId, appId);
  if (!row) throw new RpcError(rpcCodes.notFound, 'App not found');
  const numbers = await numbersOfApps(db, call.access.accountId, [row.id]);
  return toCallrApp(row, numbers.get(row.id) ?? []);
}

export const appsMethods: RpcMethod[] = [
  defineMethod({
    name: 'apps.create',
    params: [
      param('type', z.enum(voiceAppPackages)),
      param('name', z.string()),
      param('options', optionsParam),
    ],
    async handler(call, [pkg, name, options]) {
      requireAdministrator(call);
      const row = await createVoiceApp(call.ctx.db, {
        accountId: call.access.accountId,
        package: pkg,
        name,
        options,
      });
      return toCallrApp(row, []);
    },
  }),
  defineMethod({
    name: 'apps.edit',
    params: [param('hash', hashParam), param('name', z.string().nullish()), param('options', optionsParam)],
    async handler(call, [hash, name, options]) {
      requireAdministrator(call);
      const row = await editVoiceApp(call.ctx.db, {
        accountId: call.access.accountId,
        id: appIdOf(hash),
        name,
        options,
      });
      const numbers = await numbersOfApps(call.ctx.db, call.access.accountId, [row.id]);
      return toCallrApp(row, numbers.get(row.id) ?? []);
    },
  }),
  defineMethod({
    name: 'apps.get',
    params: [param('hash', hashParam)],
    handler: (call, [hash]) => appWithNumbers(call, appIdOf(hash)),
  }),
  defineMethod({
    name: 'apps.delete',
    params: [param('hash', hashParam)],
    async handler(call, [hash]) {
      requireAdministrator(call);
      await deleteVoiceApp(call.ctx.db, call.access.accountId, appIdOf(hash));
      return true;
    },
  }),
  defineMethod({
    name: 'apps.get_list',
    params: [param('with_numbers', flagParam)],
    async handler(call, [withNumbers]) {
      const { db } = call.ctx;
      const rows = await listVoiceApps(db, call.access.accountId);
      // One query for the apps and, when asked, one for all their numbers.
      const numbers = withNumbers
        ? await numbersOfApps(
            db,
            call.access.accountId,
            rows.map((row) => row.id),
          )
        : new Map<number, PhoneNumberRow[]>();
      return rows.map((row) => toCallrApp(row, numbers.get(row.id) ?? []));
    },
  }),
  defineMethod({
    name: 'apps.assign_did',
    params: [param('app_hash', hashParam), param('did_id', hashParam)],
    async handler(call, [appHash, didHash]) {
      requireAdministrator(call);
      const appId = appIdOf(appHash);
      await assignNumberToApp(call.ctx.db, {
        accountId: call.access.accountId,
        appId,
        numberId: numberIdOf(didHash),
      });
      return appWithNumbers(call, appId);
    },
  }),
  defineMethod({
    name: 'apps.remove_did',
    params: [param('did_id', hashParam)],
    async handler(call, [didHash]) {
      requireAdministrator(call);
      await removeNumberFromApp(call.ctx.db, {
        accountId: call.access.accountId,
        numberId: numberIdOf(didHash),
      });
      return true;
    },
  }),
  defineMethod({
    name: 'apps.get_dids',
    params: [param('only_available', flagParam)],
    async handler(call, [onlyAvailable]) {
      const rows = await listAccountNumbers(call.ctx.db, call.access.accountId, {
        onlyAvailable: onlyAvailable ?? false,
      });
      return rows.map(toCallrDid);
    },
  }),
  defineMethod({
    name: 'apps.get_authorized_clis',
    params: [
      param(
        'type',
        z
          .string()
          .transform((value) => value.toUpperCase())
          .pipe(z.enum(authorizedCliTypes)),
      ),
    ],
    async handler(call, [type]) {
      const rows = await listAuthorizedClis(call.ctx.db, call.access.accountId, type);
      return rows.map((row) => ({ cli: row.cli, comment: row.comment, label: row.label }));
    },
  }),
];
