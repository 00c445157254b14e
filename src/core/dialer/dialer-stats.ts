import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { CampaignRow } from '../campaigns/campaigns.tables.js';
import { ABANDON_WINDOW_DAYS } from './dialer-deps.js';
import { agentsFreeWithin, horizonSeconds, type BusyAgent, type PacingStats } from './pacing.js';

/** How far back the measured rates look, and over how many ended attempts at most. */
const RECENT_HOURS = 2;
const RECENT_ATTEMPTS = 500;
/** Longer than any ring (no answer is declared after 30 s): a dial this old has its outcome. */
const SETTLED_SECONDS = 60;

/** The agents of a campaign who can take an answered call now, longest idle first. */
export interface CampaignLiveState {
  stats: PacingStats;
  readyAgentIds: number[];
}

interface AgentRow extends Record<string, unknown> {
  user_id: string | number;
  state: string;
  state_since: Date | string;
}

interface CountRow extends Record<string, unknown> {
  ringing: number | string;
  awaiting: number | string;
}

interface RecentRow extends Record<string, unknown> {
  samples: number | string;
  persons: number | string;
  ring: number | string | null;
  talk: number | string | null;
  wrap: number | string | null;
}

interface AbandonRow extends Record<string, unknown> {
  abandoned: number | string;
  answered: number | string;
}

/** The picture pacing decides on: agents, live calls, measured rates and (predictive) the 30-day abandonment. */
export async function loadCampaignLiveState(
  db: Db,
  campaign: Pick<CampaignRow, 'id' | 'accountId' | 'mode' | 'maxAbandonRate'>,
  at: Date,
): Promise<CampaignLiveState> {
  const scope = sql`account_id = ${campaign.accountId} AND campaign_id = ${campaign.id}`;
  const atSql = sql`${at.toISOString()}::timestamptz`;
  const agents = await queryRows<AgentRow>(
    db,
    sql`SELECT user_id, state, state_since FROM dialer_agents WHERE ${scope} ORDER BY state_since, user_id`,
  );
  const [live] = await queryRows<CountRow>(
    db,
    sql`SELECT count(*) FILTER (WHERE answered_at IS NULL) AS ringing,
               count(*) FILTER (WHERE answered_at IS NOT NULL AND connected_at IS NULL) AS awaiting
        FROM dialer_attempts WHERE ${scope} AND ended_at IS NULL`,
  );
  // Only dials old enough for their fate to be known (answered or ended, placed SETTLED_SECONDS ago
  // or more): a busy or invalid number ends in seconds, an answer takes a ring and a talk ends
  // minutes later, so the freshest dials, or only the ended ones, read a campaign's answer rate near
  // 0 at its start, and predictive over-dialled into a burst of abandons.
  const person = sql`answered_at IS NOT NULL AND (outcome IS NULL OR outcome IN ('answered', 'abandoned'))`;
  const [recent] = await queryRows<RecentRow>(
    db,
    sql`SELECT count(*) AS samples,
               count(*) FILTER (WHERE ${person}) AS persons,
               avg(extract(epoch FROM answered_at - placed_at)) FILTER (WHERE ${person}) AS ring,
               avg(extract(epoch FROM ended_at - connected_at)) FILTER (WHERE connected_at IS NOT NULL AND ended_at IS NOT NULL) AS talk,
               avg(extract(epoch FROM wrapped_up_at - ended_at)) FILTER (WHERE wrapped_up_at IS NOT NULL) AS wrap
        FROM (SELECT * FROM dialer_attempts
              WHERE ${scope} AND (ended_at IS NOT NULL OR answered_at IS NOT NULL)
                AND placed_at <= ${atSql} - make_interval(secs => ${SETTLED_SECONDS}::int)
                AND placed_at >= ${atSql} - make_interval(hours => ${RECENT_HOURS}::int)
              ORDER BY placed_at DESC LIMIT ${RECENT_ATTEMPTS}) AS r`,
  );
  const abandon =
    campaign.mode === 'predictive'
      ? await queryRows<AbandonRow>(
          db,
          sql`SELECT count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned, count(*) AS answered
              FROM dialer_attempts
              WHERE ${scope} AND outcome IN ('answered', 'abandoned')
                AND placed_at >= ${atSql} - make_interval(days => ${ABANDON_WINDOW_DAYS}::int)`,
        ).then((rows) => rows[0])
      : undefined;

  const readyAgentIds = agents
    .filter((agent) => agent.state === 'ready')
    .map((agent) => Number(agent.user_id));
  const busy: BusyAgent[] = agents
    .filter((agent) => agent.state === 'on_call' || agent.state === 'wrap_up')
    .map((agent) => ({
      state: agent.state as BusyAgent['state'],
      elapsedSeconds: (at.getTime() - new Date(agent.state_since).getTime()) / 1000,
    }));
  const samples = Number(recent?.samples ?? 0);
  const meanRingSeconds = numberOr(recent?.ring, 15);
  const meanTalkSeconds = numberOr(recent?.talk, 180);
  const meanWrapupSeconds = numberOr(recent?.wrap, 15);
  const stats: PacingStats = {
    mode: campaign.mode,
    loggedInAgents: agents.filter((agent) => agent.state !== 'paused').length,
    readyAgents: readyAgentIds.length,
    agentsSoonFree: 0,
    callsRinging: Number(live?.ringing ?? 0),
    callsAwaitingAgent: Number(live?.awaiting ?? 0),
    answerRate: samples > 0 ? Number(recent?.persons ?? 0) / samples : 0,
    answerRateSamples: samples,
    meanRingSeconds,
    meanTalkSeconds,
    meanWrapupSeconds,
    abandoned30d: Number(abandon?.abandoned ?? 0),
    answered30d: Number(abandon?.answered ?? 0),
    maxAbandonRate: campaign.maxAbandonRate,
  };
  stats.agentsSoonFree = agentsFreeWithin(busy, horizonSeconds(stats), stats);
  return { stats, readyAgentIds };
}

function numberOr(value: number | string | null | undefined, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}
