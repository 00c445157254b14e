import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { campaignContacts, type CampaignContactRow } from '../campaigns/campaigns.tables.js';
import { isRunning, loadDialingCampaign, type DialingCampaign } from './campaign-rules.js';
import { choosePhone, pickContacts } from './contact-picker.js';
import { placeCall, startAttempts } from './dial-start.js';
import { recordDecisions } from './dialer-decisions.js';
import type { DialerDeps } from './dialer-deps.js';
import { lockAgent, releasePreviewContact, type AgentRef } from './dialer-agents.js';
import { dialerAgents, type DialerAgentRow } from './dialer.tables.js';
import { maxTriesCap } from './retry-policy.js';

async function runningPreviewCampaign(tx: Db, ref: AgentRef): Promise<DialingCampaign> {
  const dialing = await loadDialingCampaign(tx, ref.campaignId, ref.accountId);
  if (!dialing) throw notFound('Campaign');
  if (dialing.campaign.mode !== 'preview') {
    throw new DomainError('INVALID_STATE', 'The campaign does not dial in preview mode');
  }
  if (!isRunning(dialing.campaign))
    throw new DomainError('INVALID_STATE', 'The campaign is paused or archived');
  return dialing;
}

async function lockJoinedAgent(tx: Db, ref: AgentRef): Promise<DialerAgentRow> {
  const agent = await lockAgent(tx, ref);
  if (!agent) throw new DomainError('INVALID_STATE', 'Join the campaign first');
  return agent;
}

async function loadContact(tx: Db, accountId: number, id: number): Promise<CampaignContactRow | undefined> {
  const [row] = await tx
    .select()
    .from(campaignContacts)
    .where(and(eq(campaignContacts.accountId, accountId), eq(campaignContacts.id, id)));
  return row;
}

/**
 * Preview mode: the next callable contact is offered to a ready agent and held for them (every
 * rule of the pick applies); asking again returns the same offer. Undefined when none is callable.
 */
export async function previewNext(deps: DialerDeps, ref: AgentRef): Promise<CampaignContactRow | undefined> {
  const at = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { campaign, rules } = await runningPreviewCampaign(tx, ref);
    const agent = await lockJoinedAgent(tx, ref);
    if (agent.state === 'reserved' && agent.previewContactId !== null && agent.attemptId === null) {
      return loadContact(tx, ref.accountId, agent.previewContactId);
    }
    if (agent.state !== 'ready') throw new DomainError('INVALID_STATE', `The agent is ${agent.state}`);
    const [contact] = await pickContacts(tx, {
      accountId: ref.accountId,
      campaignId: ref.campaignId,
      limit: 1,
      at,
      rules,
      maxTriesCap: maxTriesCap(campaign),
      agentIds: [ref.userId],
    });
    if (!contact) return undefined;
    await tx
      .update(campaignContacts)
      .set({ state: 'processing_in_progress', updatedAt: at })
      .where(eq(campaignContacts.id, contact.id));
    await tx
      .update(dialerAgents)
      .set({ state: 'reserved', previewContactId: contact.id, stateSince: at, updatedAt: at })
      .where(and(eq(dialerAgents.campaignId, ref.campaignId), eq(dialerAgents.userId, ref.userId)));
    await recordDecisions(tx, [
      {
        accountId: ref.accountId,
        campaignId: ref.campaignId,
        campaignContactId: contact.id,
        decidedAt: at,
        kind: 'preview',
        reason: 'offered',
        details: { agentId: ref.userId, priority: contact.priority, triesBefore: contact.triesNumber },
      },
    ]);
    return loadContact(tx, ref.accountId, contact.id);
  });
}

/**
 * The agent accepts the offered contact: every rule is checked again (the window may have closed,
 * the number may have joined the do-not-call list meanwhile), then the call is placed for them.
 */
export async function acceptPreview(deps: DialerDeps, ref: AgentRef): Promise<{ attemptId: number }> {
  const at = deps.clock.now();
  const planned = await deps.db.transaction(async (tx) => {
    const dialing = await runningPreviewCampaign(tx, ref);
    const agent = await lockJoinedAgent(tx, ref);
    if (agent.state !== 'reserved' || agent.previewContactId === null || agent.attemptId !== null) {
      throw new DomainError('INVALID_STATE', 'No contact is offered to this agent');
    }
    const contactId = agent.previewContactId;
    await releasePreviewContact(tx, agent, at);
    const [contact] = await pickContacts(tx, {
      accountId: ref.accountId,
      campaignId: ref.campaignId,
      limit: 1,
      at,
      rules: dialing.rules,
      maxTriesCap: maxTriesCap(dialing.campaign),
      agentIds: [ref.userId],
      onlyContactId: contactId,
    });
    const phone = contact && choosePhone(contact.phones, dialing.campaign.phoneFields, contact.triesNumber);
    if (!contact || !phone) {
      await tx
        .update(dialerAgents)
        .set({ state: 'ready', previewContactId: null, stateSince: at, updatedAt: at })
        .where(and(eq(dialerAgents.campaignId, ref.campaignId), eq(dialerAgents.userId, ref.userId)));
      await recordDecisions(tx, [
        {
          accountId: ref.accountId,
          campaignId: ref.campaignId,
          campaignContactId: contactId,
          decidedAt: at,
          kind: 'skip',
          reason: 'no_longer_callable',
          details: { agentId: ref.userId },
        },
      ]);
      return undefined;
    }
    const [dial] = await startAttempts(tx, {
      campaign: dialing.campaign,
      chosen: [{ contact, ...phone }],
      at,
      reason: 'preview_accepted',
      timezone: dialing.rules.timezone,
      agentId: ref.userId,
    });
    if (!dial) throw new Error('preview attempt was not created');
    await tx
      .update(dialerAgents)
      .set({ attemptId: dial.attemptId, previewContactId: null, updatedAt: at })
      .where(and(eq(dialerAgents.campaignId, ref.campaignId), eq(dialerAgents.userId, ref.userId)));
    return { dial, campaign: dialing.campaign };
  });
  if (!planned) throw new DomainError('INVALID_STATE', 'The contact can no longer be called (rules changed)');
  await placeCall(deps, planned.campaign, planned.dial);
  return { attemptId: planned.dial.attemptId };
}

/** The agent skips the offered contact: it goes back to the pool for after the next-try delay; the agent is ready. */
export async function skipPreview(deps: DialerDeps, ref: AgentRef): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const agent = await lockJoinedAgent(tx, ref);
    if (agent.state !== 'reserved' || agent.previewContactId === null || agent.attemptId !== null) {
      throw new DomainError('INVALID_STATE', 'No contact is offered to this agent');
    }
    await releasePreviewContact(tx, agent, at);
    // Not offered again at once: it comes back after the campaign's next-try delay.
    const dialing = await loadDialingCampaign(tx, ref.campaignId, ref.accountId);
    const retryAt = new Date(at.getTime() + (dialing?.campaign.nextTryDelay ?? 3600) * 1000);
    await tx
      .update(campaignContacts)
      .set({ retryAt, isCallback: false, updatedAt: at })
      .where(
        and(eq(campaignContacts.accountId, ref.accountId), eq(campaignContacts.id, agent.previewContactId)),
      );
    await tx
      .update(dialerAgents)
      .set({ state: 'ready', previewContactId: null, stateSince: at, updatedAt: at })
      .where(and(eq(dialerAgents.campaignId, ref.campaignId), eq(dialerAgents.userId, ref.userId)));
    await recordDecisions(tx, [
      {
        accountId: ref.accountId,
        campaignId: ref.campaignId,
        campaignContactId: agent.previewContactId,
        decidedAt: at,
        kind: 'preview',
        reason: 'skipped',
        details: { agentId: ref.userId, retryAt: retryAt.toISOString() },
      },
    ]);
  });
}

/**
 * How long an offered contact stays held for an agent who neither calls nor skips it. Past it the
 * contact goes back to the pool (callable at once: nobody decided against it) and the agent is
 * ready again, so an agent who walked away does not keep contacts from the rest of the team.
 */
export const PREVIEW_OFFER_HOLD_MS = 10 * 60_000;

/** Releases the campaign's offers older than the hold time; run by each tick of a preview campaign. */
export async function expirePreviewOffers(
  tx: Db,
  campaign: { accountId: number; id: number },
  at: Date,
): Promise<number> {
  const cutoff = new Date(at.getTime() - PREVIEW_OFFER_HOLD_MS);
  const expired = await queryRows<{ user_id: string | number; preview_contact_id: string | number }>(
    tx,
    sql`WITH stale AS (
          SELECT campaign_id, user_id, preview_contact_id FROM dialer_agents
          WHERE account_id = ${campaign.accountId} AND campaign_id = ${campaign.id} AND state = 'reserved'
            AND attempt_id IS NULL AND preview_contact_id IS NOT NULL AND state_since < ${cutoff.toISOString()}::timestamptz
          FOR UPDATE)
        UPDATE dialer_agents a
        SET state = 'ready', preview_contact_id = NULL, state_since = ${at.toISOString()}::timestamptz,
            updated_at = ${at.toISOString()}::timestamptz
        FROM stale s WHERE a.campaign_id = s.campaign_id AND a.user_id = s.user_id
        RETURNING a.user_id, s.preview_contact_id`,
  );
  if (expired.length === 0) return 0;
  const contactIds = expired.map((row) => Number(row.preview_contact_id));
  await tx
    .update(campaignContacts)
    .set({ state: 'processing_not_in_progress', updatedAt: at })
    .where(
      and(
        eq(campaignContacts.accountId, campaign.accountId),
        inArray(campaignContacts.id, contactIds),
        eq(campaignContacts.state, 'processing_in_progress'),
      ),
    );
  await recordDecisions(
    tx,
    expired.map((row) => ({
      accountId: campaign.accountId,
      campaignId: campaign.id,
      campaignContactId: Number(row.preview_contact_id),
      decidedAt: at,
      kind: 'preview',
      reason: 'offer_expired',
      details: { agentId: Number(row.user_id), heldMs: PREVIEW_OFFER_HOLD_MS },
    })),
  );
  return expired.length;
}
