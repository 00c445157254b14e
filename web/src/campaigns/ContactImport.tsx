import { useEffect, useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useAccount } from '../shell/account-context';
import { campaignKeys, loadContactBatch, submitContactBatch, type Campaign, type ContactBatch } from './api';
import { readContactFile, type ContactFile } from './csv';
import { count, exclusionLabels } from './format';

/** The native batch route takes at most this many contacts; one batch of a campaign runs at a time. */
const BATCH_SIZE = 300;

interface Progress {
  sent: number;
  created: number;
  excluded: Record<string, number>;
  isDone: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function finished(accountId: number, campaignId: number, batch: ContactBatch): Promise<ContactBatch> {
  let current = batch;
  while (current.status === 'ACCEPTED' || current.status === 'IN_PROGRESS') {
    await pause(400);
    current = await loadContactBatch(accountId, campaignId, batch.id);
  }
  return current;
}

/**
 * Contacts from a CSV file: its header names the campaign's fields. The file is read in the
 * browser and sent as batches of 300 through the same core path the Diabolocom face's batches
 * take (validation, do-not-call, deduplication), one after the other; leaving the page stops
 * the import after the batch in flight.
 */
export function ContactImport({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const client = useQueryClient();
  const inputId = useId();
  const progressId = useId();
  const [file, setFile] = useState<(ContactFile & { name: string }) | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stopped = useRef(false);
  const declared = campaign.customFields;
  const isRunning = progress !== null && !progress.isDone;
  // Read through a function: the loop must see a Stop pressed while it awaits.
  const isStopped = () => stopped.current;
  useEffect(
    () => () => {
      stopped.current = true;
    },
    [],
  );

  async function choose(chosen: File | undefined) {
    setProgress(null);
    setError(null);
    setFile(chosen ? { ...readContactFile(await chosen.text(), declared), name: chosen.name } : null);
  }

  async function start(contacts: Record<string, string>[]) {
    stopped.current = false;
    setError(null);
    const total: Progress = { sent: 0, created: 0, excluded: {}, isDone: false };
    setProgress(total);
    try {
      for (let index = 0; index < contacts.length && !isStopped(); index += BATCH_SIZE) {
        const chunk = contacts.slice(index, index + BATCH_SIZE).map((customFields) => ({ customFields }));
        const batch = await finished(
          accountId,
          campaign.id,
          await submitContactBatch(accountId, campaign.id, chunk),
        );
        if (batch.status === 'FAILED') throw new Error(batch.failureReason ?? 'The import failed.');
        total.sent += chunk.length;
        total.created += batch.modifiedCount;
        for (const [cause, ids] of Object.entries(batch.excluded)) {
          total.excluded[cause] = (total.excluded[cause] ?? 0) + ids.length;
        }
        setProgress({ ...total });
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress({ ...total, isDone: true });
      await client.invalidateQueries({ queryKey: campaignKeys.all(accountId) });
    }
  }

  const excludedTotal = Object.values(progress?.excluded ?? {}).reduce((sum, value) => sum + value, 0);
  return (
    <section className="settings-form" aria-labelledby="import-title">
      <h3 id="import-title">Import contacts from a CSV file</h3>
      <p className="subtle">
        The first line names the fields ({declared.join(', ') || 'none yet'}); each other line is a contact.
        Numbers on the do-not-call list or that cannot be dialled are imported excluded.
      </p>
      <div className="settings-field">
        <label htmlFor={inputId}>CSV file</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          disabled={isRunning}
          onChange={(event) => void choose(event.target.files?.[0])}
        />
      </div>
      {file && (
        <p role="status">
          {file.name}: {count(file.rows.length)} contacts, columns {file.columns.join(', ')}.
        </p>
      )}
      {file && file.unknownColumns.length > 0 && (
        <p className="form-error" role="alert">
          The campaign has no field named {file.unknownColumns.join(', ')}. Add them in the campaign&apos;s
          settings, or remove those columns.
        </p>
      )}
      {file && file.unknownColumns.length === 0 && file.rows.length > 0 && (
        <div className="settings-row">
          <button
            type="button"
            className="button primary"
            disabled={isRunning}
            onClick={() => void start(file.rows)}
          >
            Import {count(file.rows.length)} contacts
          </button>
          {isRunning && (
            <button
              type="button"
              className="button"
              onClick={() => {
                stopped.current = true;
              }}
            >
              Stop after this batch
            </button>
          )}
        </div>
      )}
      {progress && file && (
        <div className="import-progress">
          <div className="field">
            <label htmlFor={progressId}>Import progress</label>
            <progress id={progressId} max={file.rows.length} value={progress.sent} />
          </div>
          <p role="status">
            {progress.isDone ? 'Import finished: ' : 'Importing: '}
            {count(progress.sent)} of {count(file.rows.length)} sent, {count(progress.created)} added
            {excludedTotal > 0 &&
              ` and ${count(excludedTotal)} added excluded (${Object.entries(progress.excluded)
                .map(([cause, number]) => `${count(number)} ${exclusionLabels[cause] ?? cause}`)
                .join(', ')})`}
            .
          </p>
        </div>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {error instanceof Error ? error.message : 'The import failed.'}
        </p>
      )}
    </section>
  );
}
