import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { accountUsers } from '../identity/identity.tables.js';
import { campaignContacts, campaigns } from '../campaigns/campaigns.tables.js';
import { realClock, type Clock } from '../telephony/clock.js';
import { armDialerSweep } from './dialer-sweep.js';
import { dialerAgents, type DialerAgentRow } from './dialer.tables.js';

export interface AgentRef {
  accountId: number;
  campaignId: number;
  userId: number;
}

async function assertCampaignAndMember(db: Db, ref: AgentRef): Promise<void> {
  const [campaign] = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.accountId, ref.accountId), eq(campaigns.id, ref.campaignId)));
  if (!campaign) throw notFound('Campaign');
  const [member] = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, ref.accountId), eq(accountUsers.userId, ref.userId)));
  if (!member) throw notFound('Agent');
}

/** An agent logs into a campaign's dialing, ready; joining again keeps their current state. */
export async function joinCampaign(db: Db, ref: AgentRef, clock: Clock = realClock): Promise<DialerAgentRow> {
  await assertCampaignAndMember(db, ref);
  const at = clock.now();
  await db.transaction(async (tx) => {
    await tx
      .insert(dialerAgents)
      .values({ ...ref, state: 'ready', stateSince: at, createdAt: at, updatedAt: at })
      .onConflictDoNothing();
    await armDialerSweep(tx);
  });
  const agent = await loadAgent(db, ref);
  if (!agent) throw notFound('Agent');
  return agent;
}

/**
 * An agent logs out of a campaign's dialing. Refused (409) while on a call or wrapping up; a
 * previewed contact goes back to the pool.
 */
export async function leaveCampaign(db: Db, ref: AgentRef, clock: Clock = realClock): Promise<void> {
  await db.transaction(async (tx) => {
    const agent = await lockAgent(tx, ref);
    if (!agent) return;
    if (
      agent.state === 'on_call' ||
      agent.state === 'wrap_up' ||
      (agent.state === 'reserved' && agent.attemptId)
    ) {
      throw new DomainError('INVALID_STATE', 'Finish the current call and its wrap-up before leaving');
    }
    await releasePreviewContact(tx, agent, clock.now());
    await tx
      .delete(dialerAgents)
      .where(and(eq(dialerAgents.campaignId, ref.campaignId), eq(dialerAgents.userId, ref.userId)));
  });
}

/** An agent pauses (takes no calls) or is ready again; only between calls. */
export async function setAgentState(
  db: Db,
  ref: AgentRef & { state: 'ready' | 'paused' },
  clock: Clock = realClock,
): Promise<DialerAgentRow> {
  const at = clock.now();
  return db.transaction(async (tx) => {
    const agent = await lockAgent(tx, ref);
    if (!agent) throw notFound('Agent in this campaign');
    if (agent.state === ref.state) return agent;
    if (agent.state !== 'ready' && agent.state !== 'paused') {
      throw new DomainError('INVALID_STATE', `The agent is ${agent.state}; finish the call first`);
    }
    const [updated] = await tx
      .update(dialerAgents)
      .set({ state: ref.state, stateSince: at, updatedAt: at })
      .where(and(eq(dialerAgents.campaignId, ref.campaignId), eq(dialerAgents.userId, ref.userId)))
      .returning();
    if (ref.state === 'ready') await armDialerSweep(tx);
    return updated ?? agent;
  });
}

export async function loadAgent(db: Db, ref: AgentRef): Promise<DialerAgentRow | undefined> {
  const [agent] = await db
    .select()
    .from(dialerAgents)
    .where(
      and(
        eq(dialerAgents.accountId, ref.accountId),
        eq(dialerAgents.campaignId, ref.campaignId),
        eq(dialerAgents.userId, ref.userId),
      ),
    );
  return agent;
}

export async function lockAgent(tx: Db, ref: AgentRef): Promise<DialerAgentRow | undefined> {
  const [agent] = await tx
    .select()
    .from(dialerAgents)
    .where(
      and(
        eq(dialerAgents.accountId, ref.accountId),
        eq(dialerAgents.campaignId, ref.campaignId),
        eq(dialerAgents.userId, ref.userId),
      ),
    )
    .for('update');
  return agent;
}

/** A previewed contact nobody called goes back to the pool, untouched otherwise. */
export async function releasePreviewContact(tx: Db, agent: DialerAgentRow, at: Date): Promise<void> {
  if (agent.previewContactId === null) return;
  await tx
    .update(campaignContacts)
    .set({ state: 'processing_not_in_progress', updatedAt: at })
    .where(
      and(
        eq(campaignContacts.accountId, agent.accountId),
        eq(campaignContacts.id, agent.previewContactId),
        sql`${campaignContacts.state} = 'processing_in_progress'`,
      ),
    );
}
