import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { answerRatingLink, findRatingByLink } from '../../core/routing/csat-offer.js';
import { ratingStatuses } from '../../core/conversations/conversation-ratings.tables.js';
import { commonErrors } from './schemas.js';

const tags = ['conversations'];
const params = z.object({ ratingId: z.uuid() });

const answerSchema = z.object({
  id: z.string().describe('The rating UUID, the token of the link'),
  status: z.enum(ratingStatuses),
  score: z.number().nullable(),
  comment: z.string().nullable(),
});

/** Posts the chosen score back to the page's own address; allowed by its hash, not by 'unsafe-inline'. */
const RATING_SCRIPT = `document.querySelectorAll('button').forEach((b) => b.addEventListener('click', async () => {
  const comment = document.getElementById('comment').value || null;
  await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ score: Number(b.dataset.score), comment }) });
  document.body.textContent = 'Thank you for your rating.';
}));`;

/** The API's locked-down policy, opened only for the page's one script and its call back. */
const RATING_PAGE_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: [`'sha256-${createHash('sha256').update(RATING_SCRIPT).digest('base64')}'`],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/** The page behind the link: five buttons that post the score back to the same address. */
function ratingPage(isRated: boolean): string {
  const buttons = [1, 2, 3, 4, 5].map((score) => `<button data-score="${score}">${score}</button>`).join(' ');
  const intro = isRated
    ? 'Thank you, you rated this conversation. You may change your answer.'
    : 'How did we do?';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rate this conversation</title></head>
<body><p>${intro}</p><p>${buttons}</p><p><textarea id="comment" placeholder="Comment (optional)"></textarea></p>
<script>${RATING_SCRIPT}</script></body></html>`;
}

/**
 * The public rating page a closed conversation's end user is sent (see csat-offer.ts): no
 * credentials, the rating's UUID is the token. Answers are recorded by the ratings core.
 */
export function registerCsatSurveyRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/public/ratings/:ratingId',
    {
      config: { isPublic: true },
      helmet: { contentSecurityPolicy: { useDefaults: false, directives: RATING_PAGE_CSP } },
      schema: { tags, summary: 'The public rating page of a conversation (HTML)', params },
    },
    async (request, reply) => {
      const rating = await findRatingByLink(ctx.db, request.params.ratingId);
      return reply.type('text/html; charset=utf-8').send(ratingPage(rating.status === 'rated'));
    },
  );

  app.post(
    '/v1/public/ratings/:ratingId',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: "Answer a rating link: the end user's score (1–5) and comment",
        params,
        body: z.object({ score: z.number().int(), comment: z.string().max(10_000).nullish() }),
        response: { 200: answerSchema, ...commonErrors },
      },
    },
    async (request) => {
      const rating = await answerRatingLink(ctx.db, {
        ratingUuid: request.params.ratingId,
        score: request.body.score,
        comment: request.body.comment ?? null,
      });
      return { id: rating.uuid, status: rating.status, score: rating.score, comment: rating.comment };
    },
  );
}
