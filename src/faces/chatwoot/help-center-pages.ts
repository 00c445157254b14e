import { createHash } from 'node:crypto';
import type { ArticleRow, CategoryRow, PortalRow } from '../../core/help-center/help-center.tables.js';
import { escapeHtml as e, plainExcerpt, renderMarkdown } from './help-center-markdown.js';

/** Where the public help center is served (the face's prefix plus Chatwoot's `/hc`). */
export const HC_BASE = '/chatwoot/hc';

export interface HtmlPage {
  html: string;
  /** The page's Content-Security-Policy: no script at all, its one stylesheet allowed by hash. */
  csp: string;
}

const DEFAULT_COLOR = '#1f93ff';

/** A portal's color goes into CSS, so only a plain hex color is used. */
function colorOf(portal: PortalRow): string {
  return portal.color && /^#[0-9a-fA-F]{3,8}$/.test(portal.color) ? portal.color : DEFAULT_COLOR;
}

function stylesheet(color: string): string {
  return `body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#1f2d3d;background:#fff}
header{background:${color};color:#fff;padding:1.5rem 1rem}header a{color:#fff}
main,header>div,footer{max-width:48rem;margin:0 auto}main{padding:1rem}footer{padding:1rem;color:#6b7c93;font-size:.875rem}
a{color:${color}}h1{line-height:1.2}ul.cards{list-style:none;padding:0}ul.cards li{border:1px solid #e0e6ed;border-radius:.5rem;padding:.75rem 1rem;margin:.5rem 0}
pre{background:#f4f6fb;padding:.75rem;overflow:auto}code{font-family:ui-monospace,monospace}img{max-width:100%}
input[type=search]{width:70%;padding:.5rem;font-size:1rem}nav.locales a{margin-right:.75rem;color:#fff}`;
}

export const portalPath = (portal: PortalRow, locale: string) =>
  `${HC_BASE}/${encodeURIComponent(portal.slug)}/${encodeURIComponent(locale)}`;
const categoryPath = (portal: PortalRow, category: CategoryRow) =>
  `${portalPath(portal, category.locale)}/categories/${encodeURIComponent(category.slug)}`;
const articlePath = (portal: PortalRow, article: ArticleRow) =>
  `${portalPath(portal, article.locale)}/articles/${encodeURIComponent(article.slug)}`;

function layout(portal: PortalRow, locale: string, title: string, body: string): HtmlPage {
  const css = stylesheet(colorOf(portal));
  const hash = createHash('sha256').update(css).digest('base64');
  const locales = portal.allowedLocales
    .map(
      (code) =>
        `<a href="${e(portalPath(portal, code))}" hreflang="${e(code)}"${code === locale ? ' aria-current="page"' : ''}>${e(code)}</a>`,
    )
    .join('');
  const home =
    portal.homepageLink && /^https?:\/\//i.test(portal.homepageLink)
      ? `<footer><a href="${e(portal.homepageLink)}" rel="noopener">${e(portal.homepageLink)}</a></footer>`
      : '';
  const html = `<!doctype html>
<html lang="${e(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · ${e(portal.pageTitle ?? portal.name)}</title><style>${css}</style></head>
<body><header><div><p><a href="${e(portalPath(portal, locale))}">${e(portal.name)}</a></p>
${portal.headerText ? `<p>${e(portal.headerText)}</p>` : ''}<nav class="locales" aria-label="Languages">${locales}</nav>
<form method="get" action="${e(portalPath(portal, locale))}" role="search"><input type="search" name="query" aria-label="Search articles" placeholder="Search articles"> <button type="submit">Search</button></form>
</div></header>
<main>${body}</main>${home}</body></html>`;
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    'img-src https:',
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

function articleList(portal: PortalRow, articles: ArticleRow[]): string {
  if (articles.length === 0) return '<p>No articles yet.</p>';
  const items = articles.map((article) => {
    const summary = article.description ?? plainExcerpt(article.content);
    return `<li><a href="${e(articlePath(portal, article))}">${e(article.title)}</a>${summary ? `<p>${e(summary)}</p>` : ''}</li>`;
  });
  return `<ul class="cards">${items.join('')}</ul>`;
}

/** The portal's home in one locale: its categories, each with its published articles. */
export function homePage(
  portal: PortalRow,
  locale: string,
  categories: CategoryRow[],
  articles: ArticleRow[],
): HtmlPage {
  const sections = categories.map((category) => {
    const own = articles.filter((article) => article.categoryId === category.id).slice(0, 5);
    const description = category.description ? `<p>${e(category.description)}</p>` : '';
    return `<section><h2><a href="${e(categoryPath(portal, category))}">${e(category.name)}</a></h2>${description}${articleList(portal, own)}</section>`;
  });
  const body = `<h1>${e(portal.headerText ?? portal.name)}</h1>${sections.join('') || '<p>No categories yet.</p>'}`;
  return layout(portal, locale, portal.name, body);
}

export function categoryPage(portal: PortalRow, category: CategoryRow, articles: ArticleRow[]): HtmlPage {
  const description = category.description ? `<p>${e(category.description)}</p>` : '';
  const body = `<nav aria-label="Breadcrumb"><a href="${e(portalPath(portal, category.locale))}">${e(portal.name)}</a></nav>
<h1>${e(category.name)}</h1>${description}${articleList(portal, articles)}`;
  return layout(portal, category.locale, category.name, body);
}

export function articlePage(portal: PortalRow, article: ArticleRow): HtmlPage {
  const body = `<nav aria-label="Breadcrumb"><a href="${e(portalPath(portal, article.locale))}">${e(portal.name)}</a></nav>
<article><h1>${e(article.title)}</h1>${renderMarkdown(article.content)}</article>`;
  return layout(portal, article.locale, article.title, body);
}

export function searchPage(
  portal: PortalRow,
  locale: string,
  query: string,
  articles: ArticleRow[],
): HtmlPage {
  const count = `${articles.length} result${articles.length === 1 ? '' : 's'}`;
  const body = `<h1>Search results for “${e(query)}”</h1><p>${count}</p>${articles.length > 0 ? articleList(portal, articles) : ''}`;
  return layout(portal, locale, `Search: ${query}`, body);
}

const NOT_FOUND_CSS =
  'body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}';

/** The page for an unknown or archived portal, locale, category or article. */
export function notFoundPage(): HtmlPage {
  const hash = createHash('sha256').update(NOT_FOUND_CSS).digest('base64');
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page not found</title><style>${NOT_FOUND_CSS}</style></head>
<body><main><h1>Page not found</h1><p>This help center page does not exist.</p></main></body></html>`,
    csp: `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
  };
}
