import { parse as parseContentDisposition } from 'content-disposition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { openConversation, seedContact, seedInbox, chatwootClient } from './conversations.test-kit.js';

interface AttachmentJson {
  data_url: string;
  file_type: string;
  extension: string | null;
  file_name: string;
}

/** Chatwoot's multipart message body: one field and the given files under attachments[]. */
function multipart(boundary: string, files: { name: string; type: string; body: string }[]): string {
  const parts = files.map(
    (file) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="${file.name}"\r\n` +
      `Content-Type: ${file.type}\r\n\r\n${file.body}\r\n`,
  );
  return `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nsee attached\r\n${parts.join('')}--${boundary}--\r\n`;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe(`Chatwoot attachments are served as downloads, not as pages of Parley's origin (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let apiKey: string;
  let displayId: number;

  beforeAll(async () => {
    app = await createTestApp();
    ({ accountId, apiKey } = await seedAccount(app, 'Acme'));
    const inboxId = await seedInbox(app, accountId);
    const contactId = await seedContact(app, accountId);
    displayId = await openConversation(chatwootClient(app, apiKey), accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  async function postFiles(files: { name: string; type: string; body: string }[]) {
    const boundary = '----parley-evil';
    const response = await app.parley.server.inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${accountId}/conversations/${displayId}/messages`,
      headers: { api_access_token: apiKey, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipart(boundary, files),
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ attachments: AttachmentJson[] }>().attachments;
  }

  function fetchDataUrl(dataUrl: string) {
    const url = new URL(dataUrl);
    return app.parley.server.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  }

  it('serves an HTML file named ../../../../etc/evil.html as a sandboxed download called evil.html', async () => {
    const html = '<html><script>fetch("/api/v1/accounts").then(r => r.text()).then(alert)</script></html>';

    const [attachment] = await postFiles([
      { name: '../../../../etc/evil.html', type: 'text/html', body: html },
    ]);
    const download = await fetchDataUrl(attachment!.data_url);

    expect(attachment).toMatchObject({ file_type: 'file', extension: 'html', file_name: 'evil.html' });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(html);
    expect(parseContentDisposition(download.headers['content-disposition'] as string)).toEqual({
      type: 'attachment',
      parameters: { filename: 'evil.html' },
    });
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(download.headers['content-security-policy']).toMatch(/(^|; )sandbox(;|$)/);
    expect(download.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    // The storage key is Parley's own: no trace of the client's path in the URL.
    expect(new URL(attachment!.data_url).pathname).not.toMatch(/etc|evil|\.\./);
    // Nothing was written outside the data directory, whatever the name said.
    const files = await listFiles(app.parley.ctx.config.PARLEY_DATA_DIR);
    expect(files.every((file) => !file.includes('evil'))).toBe(true);
  });

  it('shows safe media inline and everything else (SVG included) as a download', async () => {
    const [png, svg, wav, pdf] = await postFiles([
      { name: 'shot.png', type: 'image/png', body: '\x89PNG' },
      { name: 'logo.svg', type: 'image/svg+xml', body: '<svg onload="alert(1)"/>' },
      { name: 'voice.wav', type: 'audio/wav', body: 'RIFF' },
      { name: 'quote.pdf', type: 'application/pdf', body: '%PDF-1.4' },
    ]);

    const dispositions = await Promise.all(
      [png, svg, wav, pdf].map(async (attachment) => {
        const response = await fetchDataUrl(attachment!.data_url);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        return parseContentDisposition(response.headers['content-disposition'] as string);
      }),
    );

    expect(dispositions).toEqual([
      { type: 'inline', parameters: { filename: 'shot.png' } },
      { type: 'attachment', parameters: { filename: 'logo.svg' } },
      { type: 'inline', parameters: { filename: 'voice.wav' } },
      { type: 'inline', parameters: { filename: 'quote.pdf' } },
    ]);
  });

  it('cleans Windows paths, control and bidi characters and leading dots out of names', async () => {
    const [windows, hidden, spoofed] = await postFiles([
      { name: 'C:\\Users\\eve\\..\\report.txt', type: 'text/plain', body: 'a' },
      { name: '...htaccess', type: 'text/plain', body: 'b' },
      { name: 'invoice\u202Efdp.exe', type: 'application/octet-stream', body: 'c' },
    ]);

    const download = await fetchDataUrl(spoofed!.data_url);

    expect(windows!.file_name).toBe('report.txt');
    expect(hidden!.file_name).toBe('htaccess');
    expect(spoofed!.file_name).toBe('invoicefdp.exe');
    expect(parseContentDisposition(download.headers['content-disposition'] as string)).toMatchObject({
      type: 'attachment',
      parameters: { filename: 'invoicefdp.exe' },
    });
  });
});
