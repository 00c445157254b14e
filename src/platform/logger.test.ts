import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.js';

describe('log redaction', () => {
  it('hides tokens and signatures in logged URLs and keeps the other parameters', () => {
    expect(redactUrl('/api/v1/accounts/1/realtime?access_token=pk_abc&x=1')).toBe(
      '/api/v1/accounts/1/realtime?access_token=[redacted]&x=1',
    );
    expect(redactUrl('/blobs/a.wav?expires=1&max=&signature=deadbeef')).toBe(
      '/blobs/a.wav?expires=1&max=&signature=[redacted]',
    );
    expect(redactUrl('/health')).toBe('/health');
  });
});
