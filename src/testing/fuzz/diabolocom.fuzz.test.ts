import { describe, it } from 'vitest';
import { backendName } from '../database.js';
import { CI_COUNT, CI_SEED, expectNoServerErrors } from './fuzz-test-kit.js';

describe(`fuzz pass, diabolocom face (${backendName})`, () => {
  it(`answers ${CI_COUNT} mutated requests (seed ${CI_SEED}) without a 5xx, 4xx in the face's format`, async () => {
    await expectNoServerErrors('diabolocom');
  }, 120_000);
});
