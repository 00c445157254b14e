import { describe, expect, it } from 'vitest';
import { createSignedUrl, verifySignedUrl, type SignedUrlParams } from './signed-url.js';

const secret = 'test-secret-0123456789';
const issuedAt = new Date('2030-01-01T00:00:00Z');
const later = (seconds: number): Date => new Date(issuedAt.getTime() + seconds * 1000);

/** Splits a signed URL back into what the HTTP route would hand to verifySignedUrl. */
function paramsOf(url: string, method: string): SignedUrlParams {
  const parsed = new URL(url);
  return {
    method,
    key: parsed.pathname.replace(/^\/blobs\//, ''),
    expires: parsed.searchParams.get('expires') ?? undefined,
    max: parsed.searchParams.get('max') ?? undefined,
    signature: parsed.searchParams.get('signature') ?? undefined,
  };
}

const getUrl = createSignedUrl(
  { publicUrl: 'https://parley.test', key: 'recordings/1.wav', expiresInSeconds: 600, now: issuedAt },
  secret,
);
const putUrl = createSignedUrl(
  {
    publicUrl: 'https://parley.test',
    key: 'uploads/2.bin',
    method: 'PUT',
    maxBytes: 1024,
    expiresInSeconds: 600,
    now: issuedAt,
  },
  secret,
);

describe('signed blob URLs', () => {
  it('builds the documented URL shape', () => {
    expect(getUrl).toMatch(
      /^https:\/\/parley\.test\/blobs\/recordings\/1\.wav\?expires=1893456600&signature=[0-9a-f]{64}$/,
    );
    expect(putUrl).toMatch(
      /^https:\/\/parley\.test\/blobs\/uploads\/2\.bin\?expires=1893456600&max=1024&signature=[0-9a-f]{64}$/,
    );
  });

  it('verifies an untouched URL before it expires, and HEAD as a GET', () => {
    expect(verifySignedUrl(paramsOf(getUrl, 'GET'), secret, later(599))).toEqual({
      ok: true,
      method: 'GET',
      key: 'recordings/1.wav',
      expiresAt: later(600),
      maxBytes: undefined,
    });
    expect(verifySignedUrl(paramsOf(getUrl, 'HEAD'), secret, later(1))).toMatchObject({ ok: true });
    expect(verifySignedUrl(paramsOf(putUrl, 'PUT'), secret, later(1))).toMatchObject({
      ok: true,
      maxBytes: 1024,
    });
  });

  it('refuses an expired URL', () => {
    expect(verifySignedUrl(paramsOf(getUrl, 'GET'), secret, later(600))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a tampered key, method, expiry or size limit', () => {
    const get = paramsOf(getUrl, 'GET');
    const put = paramsOf(putUrl, 'PUT');
    const refusals = [
      { ...get, key: 'recordings/2.wav' },
      { ...get, method: 'PUT' },
      { ...put, method: 'GET' },
      { ...get, expires: '1893459999' },
      { ...put, max: '999999' },
      { ...put, max: undefined },
      { ...get, max: '10' },
    ];

    for (const params of refusals) {
      expect(verifySignedUrl(params, secret, later(1)), JSON.stringify(params)).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
    expect(verifySignedUrl(get, 'another-secret-0123456789', later(1))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('reports malformed parts without checking anything else', () => {
    const get = paramsOf(getUrl, 'GET');
    const malformed = [
      { ...get, signature: undefined },
      { ...get, signature: 'abc' },
      { ...get, signature: ['a', 'b'] },
      { ...get, expires: 'soon' },
      { ...get, expires: undefined },
      { ...get, max: '-1' },
      { ...get, key: '../secrets' },
      { ...get, method: 'DELETE' },
    ];

    for (const params of malformed) {
      expect(verifySignedUrl(params, secret, later(1)), JSON.stringify(params)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses to sign with a short secret or a non-positive lifetime', () => {
    expect(() =>
      createSignedUrl({ publicUrl: 'https://p.test', key: 'k', expiresInSeconds: 60 }, 'short'),
    ).toThrow('at least 16');
    expect(() =>
      createSignedUrl({ publicUrl: 'https://p.test', key: 'k', expiresInSeconds: 0 }, secret),
    ).toThrow(RangeError);
  });
});
