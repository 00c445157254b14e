import type { Db } from '../../../platform/db/database.js';
import type { Logger } from '../../../platform/logger.js';
import type { OutboundClient } from '../../../platform/outbound/guarded-fetch.js';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';
import type { AudioProbe, SummaryEngine, TranscriptionEngine } from '../engines.js';

/** The engines the pipeline runs (see engine-factory.ts); `transcription` is null when none is configured. */
export interface CallEngines {
  audio: AudioProbe;
  transcription: TranscriptionEngine | null;
  /** Why there is no transcription engine, in words a user can act on. */
  transcriptionUnavailableReason?: string | null | undefined;
  summary: SummaryEngine;
}

export interface CallPipelineDeps {
  db: Db;
  storage: BlobStorage;
  /** The SSRF-guarded client recordings are downloaded with. */
  outbound: OutboundClient;
  engines: CallEngines;
  maxRecordingBytes: number;
  logger: Logger;
  /** Wakes an in-process worker when a step queues the next one. */
  notifier?: (() => void) | undefined;
}
