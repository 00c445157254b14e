import type { TestApp } from '../app.js';

export type Face = 'native' | 'chatwoot' | 'modjo' | 'dixa' | 'diabolocom';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * One request as the fuzzer sends it. `body` is a JSON value unless `rawBody` is set, in which
 * case the bytes are sent as they are with the given content type (form, multipart, broken JSON).
 */
export interface FuzzRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string | string[]>;
  body?: unknown;
  rawBody?: string | Buffer;
}

/** A valid request for one route template (`/api/v1/accounts/:accountId`), built on seeded data. */
export interface CorpusEntry {
  route: string;
  request: FuzzRequest;
  /** Deletes or revokes something: sent last in the validity pass, and aimed at spare rows. */
  isDestructive?: boolean;
  /** Built from the route table for a route no hand-written entry covers: likely refused, never counted as valid. */
  isGeneric?: boolean;
}

/** Credentials and ids the mutators may swap in: other tenants, weaker roles, revoked keys. */
export interface Credentials {
  /** Header name the face reads its token from, as the face's clients send it. */
  header: string;
  /** Prefix of the header value (`Bearer ` or empty). */
  scheme: string;
  tokens: string[];
  foreignTokens: string[];
}

export interface FaceCorpus {
  face: Face;
  entries: CorpusEntry[];
  credentials: Credentials;
  /** Values for path parameters by name, for routes without a hand-written entry. */
  params: Record<string, string>;
}

export interface FaceSetup {
  app: TestApp;
  corpus: FaceCorpus;
}
