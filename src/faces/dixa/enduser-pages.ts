import { z } from 'zod';
import type { KeysetPosition } from '../../core/contacts/keyset-window.js';
import { decodePageKey } from './pagination.js';

/** The page keys of the end-user lists wrap the id the page starts after (or ends before). */
export function keysetPosition(pageKey: string | undefined): KeysetPosition | undefined {
  const key = decodePageKey(pageKey, z.number().int().positive());
  return key && { id: key.cursor, direction: key.direction };
}
