import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { InboundCallResult } from '../../core/telephony/carrier-simulator.js';
import { simulateInboundCall } from '../../core/telephony/simulated-inbound.js';
import { telephonyRuntimeOf } from '../../core/telephony/telephony-runtime.js';
import { accountAccess, requirePlatform } from '../shared/access.js';
import { accountParams, commonErrors } from './schemas.js';

const tags = ['telephony'];
const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{5,14}$/, 'expected an E.164 number such as "+33140000001"');

const inboundCallInput = z.object({
  to: e164.describe('The DID called, E.164'),
  from: z
    .union([e164, z.literal('')])
    .optional()
    .describe('The caller, E.164, or "" for a withheld number; drawn from the simulator\'s seed when absent'),
  talkSeconds: z
    .number()
    .min(1)
    .max(3600)
    .optional()
    .describe('How long the caller stays on once answered; drawn from the seed when absent'),
});

const inboundCallSchema = z.object({
  carrierCallId: z.string(),
  from: z.string(),
  to: z.string(),
  accepted: z.boolean(),
  callid: z.number().nullable().describe("The call's id (CALLR callid) when Parley accepted it"),
  hangupCause: z
    .number()
    .nullable()
    .describe('The ISDN (Q.850) cause of a refusal: 1 unallocated, 21 rejected'),
  reason: z.string().nullable(),
});

const conflict = { 409: commonErrors[404] };

function toDto(result: InboundCallResult): z.infer<typeof inboundCallSchema> {
  const { decision } = result;
  return {
    carrierCallId: result.carrierCallId,
    from: result.from,
    to: result.to,
    accepted: decision.accepted,
    callid: decision.accepted ? decision.telephonyCallId : null,
    hangupCause: decision.accepted ? null : decision.hangupCause,
    reason: decision.accepted ? null : decision.reason,
  };
}

/**
 * The carrier simulator's inbound side on the native API (only while `PARLEY_TELEPHONY_SIMULATOR`
 * is set): ring a DID as if someone called it. The platform token stands for the carrier and may
 * ring any number; an account's administrators may ring the account's own numbers.
 */
export function registerNativeTelephonyRoutes(app: TypedApp, ctx: AppContext): void {
  const inject = (body: z.infer<typeof inboundCallInput>, accountId?: number) =>
    simulateInboundCall(
      ctx.db,
      {
        simulator: telephonyRuntimeOf(ctx.config)?.simulator,
        enabled: ctx.config.PARLEY_TELEPHONY_SIMULATOR !== undefined,
      },
      { ...body, ...(accountId !== undefined && { accountId }) },
    ).then(toDto);

  app.post(
    '/v1/telephony/inbound-calls',
    {
      schema: {
        tags,
        summary: 'Ring any DID through the carrier simulator (platform token)',
        body: inboundCallInput,
        response: { 201: inboundCallSchema, ...commonErrors, ...conflict },
      },
    },
    async (request, reply) => {
      requirePlatform(request);
      return reply.status(201).send(await inject(request.body));
    },
  );

  app.post(
    '/v1/accounts/:accountId/telephony/inbound-calls',
    {
      schema: {
        tags,
        summary: "Ring one of the account's numbers through the carrier simulator (administrators)",
        params: accountParams,
        body: inboundCallInput,
        response: { 201: inboundCallSchema, ...commonErrors, ...conflict },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      return reply.status(201).send(await inject(request.body, access.accountId));
    },
  );
}
