/*
 * A small, safe Markdown renderer for help center articles. Everything is HTML-escaped first; only
 * a fixed subset becomes markup: headings, paragraphs, lists, block quotes, rules, fenced code,
 * code spans, emphasis, links (http, https, mailto, relative) and https images. Raw HTML in an
 * article is shown as text, never interpreted. Written here rather than pulling a full CommonMark
 * library plus a sanitizer: the subset is small and safety comes from never emitting input as markup.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const SAFE_LINK = /^(?:https?:\/\/|mailto:|\/|#)/i;
const SAFE_IMAGE = /^https:\/\//i;
const TOKEN = /\uE000(\d+)\uE000/g;
const HAS_TOKEN = /\uE000\d+\uE000/;

function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)(.+?)__/g, '<strong>$1</strong>')
    .replace(/\*(?=\S)(.+?)\*/g, '<em>$1</em>')
    .replace(/(^|\W)_(?=\S)(.+?)_(?=\W|$)/g, '$1<em>$2</em>');
}

/** Inline markup of one block's text. Code spans and links become tokens so emphasis never enters them. */
export function renderInline(source: string): string {
  const tokens: string[] = [];
  const hold = (html: string) => `\uE000${tokens.push(html) - 1}\uE000`;
  const withCode = source
    .replace(/\uE000/g, '')
    .replace(/`([^`]+)`/g, (_, code: string) => hold(`<code>${escapeHtml(code)}</code>`));
  let html = escapeHtml(withCode)
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (match, alt: string, url: string) =>
      SAFE_IMAGE.test(url) ? hold(`<img src="${url}" alt="${alt}" loading="lazy">`) : match,
    )
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (match, label: string, url: string) =>
      SAFE_LINK.test(url)
        ? hold(`<a href="${url}" rel="nofollow noopener noreferrer">${emphasis(label)}</a>`)
        : match,
    );
  html = emphasis(html);
  // Tokens may hold tokens (a code span inside a link label).
  for (let depth = 0; depth < 3 && HAS_TOKEN.test(html); depth++) {
    html = html.replace(TOKEN, (_, index: string) => tokens[Number(index)] ?? '');
  }
  return html;
}

type Block = { kind: 'p' | 'quote' | 'ul' | 'ol'; lines: string[] };

function closeBlock(block: Block | null, out: string[]): void {
  if (!block) return;
  if (block.kind === 'p') out.push(`<p>${renderInline(block.lines.join(' '))}</p>`);
  if (block.kind === 'quote')
    out.push(`<blockquote><p>${renderInline(block.lines.join(' '))}</p></blockquote>`);
  if (block.kind === 'ul' || block.kind === 'ol') {
    out.push(
      `<${block.kind}>${block.lines.map((line) => `<li>${renderInline(line)}</li>`).join('')}</${block.kind}>`,
    );
  }
}

/** Renders an article's Markdown to HTML that is safe to place in a page. */
export function renderMarkdown(markdown: string): string {
  const out: string[] = [];
  let block: Block | null = null;
  let code: string[] | null = null;
  const open = (kind: Block['kind'], line: string) => {
    if (block?.kind !== kind) {
      closeBlock(block, out);
      block = { kind, lines: [] };
    }
    block.lines.push(line);
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (code) {
      if (/^\s*```/.test(line)) {
        out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
        code = null;
      } else code.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (/^\s*```/.test(line)) {
      closeBlock(block, out);
      block = null;
      code = [];
    } else if (heading) {
      closeBlock(block, out);
      block = null;
      // The article title is the page's h1: its headings start at h2.
      const level = Math.min((heading[1] ?? '').length + 1, 6);
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      closeBlock(block, out);
      block = null;
      out.push('<hr>');
    } else if (bullet) open('ul', bullet[1] ?? '');
    else if (numbered) open('ol', numbered[1] ?? '');
    else if (quote) open('quote', quote[1] ?? '');
    else if (line.trim() === '') {
      closeBlock(block, out);
      block = null;
    } else open('p', line.trim());
  }
  if (code) out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
  closeBlock(block, out);
  return out.join('\n');
}

/** Plain text of an article for an excerpt: the Markdown marks dropped, then escaped by the caller. */
export function plainExcerpt(markdown: string, length = 160): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
