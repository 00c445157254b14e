import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootCaller } from './admin-test-kit.js';

describe(`Chatwoot public help center pages (${backendName})`, () => {
  let app: TestApp;
  let page: (url: string) => ReturnType<ReturnType<typeof injector>>;

  beforeAll(async () => {
    app = await createTestApp();
    const call = chatwootCaller(app);
    const inject = injector(app);
    page = (url) => inject({ method: 'GET', url: `/chatwoot${url}` });
    const { accountId, apiKey } = await seedAccount(app, 'Acme');
    const base = `/api/v1/accounts/${accountId}/portals`;
    const post = async (url: string, body: Record<string, unknown>) => {
      const response = await call('POST', url, apiKey, body);
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json<{ id: number }>();
    };
    await post(base, {
      name: 'Acme Guide',
      slug: 'guide',
      color: '#aa3300',
      config: { allowed_locales: ['en', 'fr'], default_locale: 'en' },
    });
    const start = await post(`${base}/guide/categories`, { name: 'Start here', slug: 'start', locale: 'en' });
    const billing = await post(`${base}/guide/categories`, {
      name: 'Billing',
      slug: 'billing',
      locale: 'en',
    });
    const debut = await post(`${base}/guide/categories`, { name: 'Commencer', slug: 'debut', locale: 'fr' });
    await post(`${base}/guide/articles`, {
      title: 'Reset your password',
      slug: 'reset-password',
      category_id: start.id,
      status: 'published',
      content:
        '## Steps\n\nOpen **Settings**, then choose *Security*.\n\n- Click reset\n- Check your mailbox\n\n[Help](https://acme.test/help) and [bad](javascript:alert(1))',
    });
    await post(`${base}/guide/articles`, {
      title: 'Invoices explained',
      slug: 'invoices',
      category_id: billing.id,
      status: 1,
      content: 'Each invoice lists your subscription charges.',
    });
    await post(`${base}/guide/articles`, {
      title: 'Secret roadmap',
      slug: 'roadmap',
      category_id: start.id,
      status: 'draft',
      content: 'The password manager ships next quarter.',
    });
    await post(`${base}/guide/articles`, {
      title: 'Réinitialiser le mot de passe',
      slug: 'reinitialiser',
      category_id: debut.id,
      status: 'published',
      content: 'Ouvrez les réglages.',
    });
    await post(`${base}/guide/articles`, {
      title: 'Scripted <b>title</b>',
      slug: 'scripted',
      category_id: start.id,
      status: 'published',
      content:
        'Hello <script>alert("x")</script> <img src=x onerror=alert(1)>\n\n```\n<script>code()</script>\n```',
    });
    await post(base, { name: 'Old', slug: 'old', archived: true });
    await post(`${base}/old/articles`, {
      title: 'Old news',
      slug: 'old-news',
      status: 'published',
      content: 'x',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('renders the home of a locale with its categories and published articles only, under a strict CSP', async () => {
    const home = await page('/hc/guide/en');

    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(home.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(home.body).toContain('<html lang="en">');
    expect(home.body).toContain('Start here');
    expect(home.body).toContain('href="/chatwoot/hc/guide/en/articles/reset-password"');
    expect(home.body).toContain('Invoices explained');
    expect(home.body).not.toContain('Secret roadmap');
    expect(home.body).not.toContain('Commencer');
  });

  it('serves each locale its own content, and the default locale at the portal root', async () => {
    const french = await page('/hc/guide/fr');
    const root = await page('/hc/guide');

    expect(french.statusCode).toBe(200);
    expect(french.body).toContain('Commencer');
    expect(french.body).toContain('Réinitialiser le mot de passe');
    expect(french.body).not.toContain('Start here');
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('Start here');
  });

  it('lists the published articles of a category', async () => {
    const category = await page('/hc/guide/en/categories/start');

    expect(category.statusCode).toBe(200);
    expect(category.body).toContain('<h1>Start here</h1>');
    expect(category.body).toContain('Reset your password');
    expect(category.body).not.toContain('Invoices explained');
    expect(category.body).not.toContain('Secret roadmap');
  });

  it('renders an article from Markdown, with links only to safe addresses', async () => {
    const article = await page('/hc/guide/en/articles/reset-password');
    const chatwootPath = await page('/hc/guide/articles/reset-password');

    expect(article.statusCode).toBe(200);
    expect(article.body).toContain('<h1>Reset your password</h1>');
    expect(article.body).toContain('<h3>Steps</h3>');
    expect(article.body).toContain('<strong>Settings</strong>');
    expect(article.body).toContain('<em>Security</em>');
    expect(article.body).toContain('<ul><li>Click reset</li><li>Check your mailbox</li></ul>');
    expect(article.body).toContain(
      '<a href="https://acme.test/help" rel="nofollow noopener noreferrer">Help</a>',
    );
    expect(article.body).not.toContain('href="javascript:');
    expect(chatwootPath.statusCode).toBe(200);
  });

  it('renders HTML in an article inert', async () => {
    const article = await page('/hc/guide/en/articles/scripted');

    expect(article.statusCode).toBe(200);
    expect(article.body).not.toMatch(/<script/i);
    expect(article.body).not.toContain('<img src=x');
    expect(article.body).not.toContain('<b>title</b>');
    expect(article.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(article.body).toContain('<pre><code>&lt;script&gt;code()&lt;/script&gt;</code></pre>');
  });

  it('finds published articles by words in their content with full-text search', async () => {
    const found = await page('/hc/guide/en?query=subscription%20charges');
    const drafts = await page('/hc/guide/en?query=password');
    const otherLocale = await page('/hc/guide/fr?query=invoice');

    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Invoices explained');
    expect(found.body).toContain('1 result');
    expect(drafts.body).toContain('Reset your password');
    expect(drafts.body).not.toContain('Secret roadmap');
    expect(otherLocale.body).toContain('0 results');
  });

  it('answers a 404 page for drafts, archived portals, unknown locales and unknown pages', async () => {
    const responses = await Promise.all(
      [
        '/hc/guide/en/articles/roadmap',
        '/hc/old/en',
        '/hc/old/en/articles/old-news',
        '/hc/guide/de',
        '/hc/nowhere/en',
        '/hc/guide/en/categories/nothing',
        '/hc/guide/fr/articles/reset-password',
      ].map(page),
    );

    for (const response of responses) {
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('Page not found');
      expect(response.body).not.toContain('Secret roadmap');
    }
  });
});
