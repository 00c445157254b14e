import { describe, expect, it } from 'vitest';
import { plainExcerpt, renderInline, renderMarkdown } from './help-center-markdown.js';

describe('help center Markdown', () => {
  it('renders the supported subset', () => {
    const html = renderMarkdown(
      '# Title\n\nSome **bold**, *em* and `a <b>`.\n\n1. one\n2. two\n\n> quoted\n\n---\n\n```\nx < y\n```',
    );

    expect(html).toBe(
      [
        '<h2>Title</h2>',
        '<p>Some <strong>bold</strong>, <em>em</em> and <code>a &lt;b&gt;</code>.</p>',
        '<ol><li>one</li><li>two</li></ol>',
        '<blockquote><p>quoted</p></blockquote>',
        '<hr>',
        '<pre><code>x &lt; y</code></pre>',
      ].join('\n'),
    );
  });

  it('escapes raw HTML and refuses unsafe link and image addresses', () => {
    expect(renderInline('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderInline('[x](javascript:alert(1))')).not.toContain('href');
    expect(renderInline('[x](data:text/html,hi)')).not.toContain('href');
    expect(renderInline('![x](http://plain.test/a.png)')).not.toContain('<img');
    expect(renderInline('[a "quote"](https://ok.test/?a=1&b=2)')).toBe(
      '<a href="https://ok.test/?a=1&amp;b=2" rel="nofollow noopener noreferrer">a &quot;quote&quot;</a>',
    );
    expect(renderInline('`**not bold**`')).toBe('<code>**not bold**</code>');
  });

  it('gives a plain excerpt without Markdown marks', () => {
    expect(plainExcerpt('## Hello\n\nSee [the docs](https://x.test) **now**')).toBe('Hello See the docs now');
  });
});
