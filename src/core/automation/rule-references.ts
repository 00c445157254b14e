import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { customAttributeDefinitions } from '../custom-attributes/custom-attributes.tables.js';
import { accountUsers } from '../identity/identity.tables.js';
import { teams } from '../teams/teams.tables.js';
import type { ActionInput, RuleReferences } from './rule-definition.js';

const numericIds = (values: (string | undefined)[]) =>
  values.flatMap((value) => (value !== undefined && /^\d{1,15}$/.test(value) ? [Number(value)] : []));

/** Loads only what the rule names: the account's custom attributes, and the agents and teams in its actions. */
export async function loadRuleReferences(
  db: Db,
  accountId: number,
  actions: ActionInput[],
): Promise<RuleReferences> {
  const firstParams = (name: string) =>
    actions.filter((action) => action.name === name).map((action) => action.params[0]);
  const agentIds = numericIds(
    firstParams('assign_agent').map((param) => (typeof param === 'string' ? param : undefined)),
  );
  const teamIds = [
    ...numericIds(firstParams('assign_team').map((param) => (typeof param === 'string' ? param : undefined))),
    ...firstParams('send_email_to_team').flatMap((param) => (typeof param === 'object' ? param.teamIds : [])),
  ];
  const [definitions, agents, teamRows] = await Promise.all([
    db
      .select({
        key: customAttributeDefinitions.attributeKey,
        model: customAttributeDefinitions.attributeModel,
        displayType: customAttributeDefinitions.attributeDisplayType,
      })
      .from(customAttributeDefinitions)
      .where(eq(customAttributeDefinitions.accountId, accountId)),
    agentIds.length === 0
      ? []
      : db
          .select({ id: accountUsers.userId })
          .from(accountUsers)
          .where(and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, agentIds))),
    teamIds.length === 0
      ? []
      : db
          .select({ id: teams.id })
          .from(teams)
          .where(and(eq(teams.accountId, accountId), inArray(teams.id, teamIds))),
  ]);
  return {
    customAttributes: definitions,
    agentIds: new Set(agents.map((row) => row.id)),
    teamIds: new Set(teamRows.map((row) => row.id)),
  };
}
