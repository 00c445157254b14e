import { createHash } from 'node:crypto';
import type { ConversationSurvey } from '../../core/conversations/rate-conversation.js';
import { escapeHtml as e } from './help-center-markdown.js';

/*
 * The CSAT survey page: a plain HTML form (no script), posted back to its own address. The
 * conversation's UUID in that address is the capability (as in Chatwoot's survey link): no
 * cookie or session is involved, so a cross-site form post gains nothing the link does not give.
 */

const CSS = `body{font:16px/1.6 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2d3d}
fieldset{border:0;padding:0;margin:1rem 0;display:flex;gap:.5rem}label.score{border:1px solid #c0ccda;border-radius:.5rem;padding:.5rem .75rem;cursor:pointer}
textarea{width:100%;min-height:6rem;font:inherit}button{font:inherit;padding:.5rem 1rem;margin-top:.75rem}.error{color:#b00020}`;

const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const LABELS = ['', 'Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

export interface SurveyPage {
  html: string;
  csp: string;
}

function page(title: string, body: string): SurveyPage {
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${CSS}</style></head><body><main>${body}</main></body></html>`,
    csp: CSP,
  };
}

function form(action: string, score: number | null, comment: string, error?: string): string {
  const scores = [1, 2, 3, 4, 5]
    .map(
      (value) =>
        `<label class="score"><input type="radio" name="rating" value="${value}" required${value === score ? ' checked' : ''}> ${value} <span>${LABELS[value] ?? ''}</span></label>`,
    )
    .join('');
  return `<form method="post" action="${e(action)}">${error ? `<p class="error" role="alert">${e(error)}</p>` : ''}
<fieldset><legend>Your rating</legend>${scores}</fieldset>
<label for="feedback_message">Tell us more (optional)</label>
<textarea id="feedback_message" name="feedback_message" maxlength="10000">${e(comment)}</textarea>
<button type="submit">Submit</button></form>`;
}

/** The survey as the contact finds it: the question, or their answer (changeable until locked). */
export function surveyPage(action: string, survey: ConversationSurvey, error?: string): SurveyPage {
  const rating = survey.rating?.status === 'rated' ? survey.rating : null;
  const heading = `<h1>${e(survey.accountName)}</h1>`;
  if (rating && survey.isLocked) {
    return page(
      'Thank you',
      `${heading}<p>You rated this conversation ${rating.score ?? ''} out of 5. Thank you for your feedback.</p>`,
    );
  }
  const intro = rating
    ? `<p>Thank you, you rated this conversation ${rating.score ?? ''} out of 5. You may change your answer.</p>`
    : '<p>How would you rate your conversation with us?</p>';
  return page(
    'Rate your conversation',
    `${heading}${intro}${form(action, rating?.score ?? null, rating?.comment ?? '', error)}`,
  );
}

export function thankYouPage(survey: ConversationSurvey, score: number): SurveyPage {
  return page(
    'Thank you',
    `<h1>${e(survey.accountName)}</h1><p>Thank you for your feedback. You rated this conversation ${score} out of 5.</p>`,
  );
}

export function lockedPage(message: string): SurveyPage {
  return page('Survey closed', `<h1>Survey closed</h1><p>${e(message)}</p>`);
}

export function surveyNotFoundPage(): SurveyPage {
  return page('Survey not found', '<h1>Survey not found</h1><p>This survey link is not valid.</p>');
}
