import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isDomainError } from '../../platform/errors.js';
import {
  answerConversationSurvey,
  findConversationSurvey,
  type ConversationSurvey,
} from '../../core/conversations/rate-conversation.js';
import { lockedPage, surveyNotFoundPage, surveyPage, thankYouPage, type SurveyPage } from './survey-page.js';

const tags = ['CSAT Survey Page'];
/** Seed `conversation_uuid` (typed integer there, but it is the conversation's UUID). */
const params = z.object({ conversation_uuid: z.string().max(64) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const rating = z.union([z.string().max(8), z.number()]);
const comment = z.string().max(10_000);
/**
 * The page's form fields, or the body Chatwoot's own survey app sends to its CSAT endpoint
 * (`message.submitted_values.csat_survey_response`), so either client can answer here.
 */
const answerBody = z.object({
  rating: rating.optional(),
  feedback_message: comment.optional(),
  message: z
    .object({
      submitted_values: z.object({
        csat_survey_response: z.object({ rating: rating.optional(), feedback_message: comment.optional() }),
      }),
    })
    .optional(),
});

const publicPage = { config: { isPublic: true }, helmet: { contentSecurityPolicy: false } } as const;

function send(reply: FastifyReply, page: SurveyPage, status = 200) {
  return reply
    .status(status)
    .header('content-security-policy', page.csp)
    .type('text/html; charset=utf-8')
    .send(page.html);
}

/** 1–5 as Chatwoot's CSAT; anything else is refused before it reaches the core. */
function scoreOf(value: string | number | undefined): number | null {
  const score = typeof value === 'string' ? Number(value.trim() || Number.NaN) : value;
  return score !== undefined && Number.isInteger(score) && score >= 1 && score <= 5 ? score : null;
}

/**
 * Chatwoot's CSAT survey page, `/survey/responses/{conversation_uuid}`: public, an HTML form the
 * contact answers with a rating (1–5) and a comment, posted back to the same address. Ratings go
 * into the conversation's rating (the core's ratings), so reports and the other faces see them. An
 * answer may change for 14 days after the survey was sent, then it is locked, as in Chatwoot.
 */
export function registerSurveyRoutes(app: TypedApp, ctx: AppContext): void {
  const path = '/survey/responses/:conversation_uuid';
  const find = async (uuid: string): Promise<ConversationSurvey | null> =>
    UUID.test(uuid) ? findConversationSurvey(ctx.db, uuid.toLowerCase()) : null;

  app.get(
    path,
    { ...publicPage, schema: { tags, summary: 'Get CSAT survey page', params } },
    async (request, reply) => {
      const survey = await find(request.params.conversation_uuid);
      if (!survey) return send(reply, surveyNotFoundPage(), 404);
      return send(reply, surveyPage(request.url, survey));
    },
  );

  app.post(
    path,
    {
      ...publicPage,
      schema: {
        tags,
        summary: 'Answer the CSAT survey (rating 1–5 and a comment)',
        params,
        body: answerBody,
      },
    },
    async (request, reply) => {
      const survey = await find(request.params.conversation_uuid);
      if (!survey) return send(reply, surveyNotFoundPage(), 404);
      const answer = request.body.message?.submitted_values.csat_survey_response ?? request.body;
      const score = scoreOf(answer.rating);
      if (survey.isLocked)
        return send(reply, lockedPage('You cannot update the CSAT survey after 14 days'), 422);
      if (score === null) {
        return send(reply, surveyPage(request.url, survey, 'Please choose a rating from 1 to 5.'), 422);
      }
      try {
        await answerConversationSurvey(ctx.db, {
          conversationUuid: request.params.conversation_uuid.toLowerCase(),
          score,
          comment: answer.feedback_message ?? null,
        });
      } catch (error) {
        if (isDomainError(error) && error.code === 'VALIDATION_FAILED')
          return send(reply, lockedPage(error.message), 422);
        throw error;
      }
      return send(reply, thankYouPage(survey, score));
    },
  );
}
