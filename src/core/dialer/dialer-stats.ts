import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { CampaignRow } from '../campaigns/campaigns.tables.js';
import { ABANDON_WINDOW_DAYS } from './dialer-deps.js';
import {
  agentsFreeWithin,
  horizonSeconds,
  type BusyAgent,
  type DurationSamples,
  type PacingStats,
} from './pacing.js';

/** How far back the measured rates look, and over how many ended attempts at most. */
const RECENT_HOURS = 2;
const RECENT_ATTEMPTS = 500;
/** Longer than any ring (no answer is declared after 30 s): a dial this old has its outcome. */
const SETTLED_SECONDS = 60;
/** The talks and wrap-ups the durations are measured over: the most recently finished. */
const RECENT_DURATIONS = 200;

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
}

interface DurationRow extends Record<string, unknown> {
  kind: 'talk' | 'wrap';
  seconds: number | string;
}

interface AbandonRow extends Record<string, unknown> {
  abandoned: number | string;
  answered: number | string;
  abandoned_24h: number | string;
  answered_24h: number | string;
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
               avg(extract(epoch FROM answered_at - placed_at)) FILTER (WHERE ${person}) AS ring
        FROM (SELECT * FROM dialer_attempts
              WHERE ${scope} AND (ended_at IS NOT NULL OR answered_at IS NOT NULL)
                AND placed_at <= ${atSql} - make_interval(secs => ${SETTLED_SECONDS}::int)
                AND placed_at >= ${atSql} - make_interval(hours => ${RECENT_HOURS}::int)
              ORDER BY placed_at DESC LIMIT ${RECENT_ATTEMPTS}) AS r`,
  );
  const durations = campaign.mode === 'predictive' ? await recentDurations(db, scope, atSql) : undefined;
  const abandon =
    campaign.mode === 'predictive'
      ? await queryRows<AbandonRow>(
          db,
          sql`SELECT count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned, count(*) AS answered,
                     count(*) FILTER (WHERE outcome = 'abandoned' AND placed_at >= ${atSql} - interval '24 hours') AS abandoned_24h,
                     count(*) FILTER (WHERE placed_at >= ${atSql} - interval '24 hours') AS answered_24h
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
  const meanTalkSeconds = meanOr(durations?.talkSeconds, 180);
  const meanWrapupSeconds = meanOr(durations?.wrapupSeconds, 15);
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
    abandoned24h: Number(abandon?.abandoned_24h ?? 0),
    answered24h: Number(abandon?.answered_24h ?? 0),
    maxAbandonRate: campaign.maxAbandonRate,
  };
  stats.agentsSoonFree = agentsFreeWithin(busy, horizonSeconds(stats), stats, durations);
  return { stats, readyAgentIds };
}

/**
 * The talk times of the last RECENT_DURATIONS calls that ended and the wrap-up times of the last
 * that were wrapped up (only predictive looks ahead at busy agents). By when they finished, not
 * when they were dialled: of the calls dialled in the last minutes only the short ones have ended,
 * which read the mean talk time far too short and counted agents in long calls as about to be free.
 */
async function recentDurations(db: Db, scope: SQL, atSql: SQL): Promise<DurationSamples> {
  const rows = await queryRows<DurationRow>(
    db,
    sql`(SELECT 'talk' AS kind, extract(epoch FROM ended_at - connected_at) AS seconds
         FROM dialer_attempts
         WHERE ${scope} AND connected_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at <= ${atSql}
         ORDER BY ended_at DESC LIMIT ${RECENT_DURATIONS})
        UNION ALL
        (SELECT 'wrap' AS kind, extract(epoch FROM wrapped_up_at - ended_at) AS seconds
         FROM dialer_attempts
         WHERE ${scope} AND wrapped_up_at IS NOT NULL AND wrapped_up_at <= ${atSql}
         ORDER BY wrapped_up_at DESC LIMIT ${RECENT_DURATIONS})`,
  );
  const of = (kind: DurationRow['kind']) =>
    rows.filter((row) => row.kind === kind).map((row) => Number(row.seconds));
  return { talkSeconds: of('talk'), wrapupSeconds: of('wrap') };
}

function meanOr(values: readonly number[] | undefined, fallback: number): number {
  if (!values || values.length === 0) return fallback;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function numberOr(value: number | string | null | undefined, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}
