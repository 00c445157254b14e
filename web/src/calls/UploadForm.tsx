import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import type { Member } from '../api/types';
import { useAccount } from '../shell/account-context';
import { useCall, useUploadCall } from './api';
import { StateChip } from './format';

/** Upload a recording; the new call is shown with its processing status until it is ready. */
export function UploadForm({ accountId, members }: { accountId: number; members: Member[] }) {
  const { userId } = useAccount();
  const upload = useUploadCall(accountId);
  const fileInput = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [startedAt, setStartedAt] = useState('');
  const [owner, setOwner] = useState(userId === null ? '' : String(userId));
  const [uploadedId, setUploadedId] = useState<number | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const errorId = useId();

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setFileError('Choose a recording to upload.');
      fileInput.current?.focus();
      return;
    }
    setFileError(null);
    upload.mutate(
      { file, title, startedAt, userId: owner },
      {
        onSuccess: (call) => {
          setUploadedId(call.id);
          setTitle('');
          setStartedAt('');
          if (fileInput.current) fileInput.current.value = '';
        },
      },
    );
  };

  const error = fileError ?? (upload.isError ? upload.error.message : null);
  return (
    <section className="call-upload" aria-labelledby="call-upload-title">
      <h2 id="call-upload-title">Upload a recording</h2>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span>Recording (wav, mp3, m4a, mp4, webm)</span>
          <input
            ref={fileInput}
            type="file"
            name="recording"
            accept="audio/*,video/mp4,video/webm,.wav,.mp3,.m4a,.mp4,.webm"
            aria-describedby={error ? errorId : undefined}
            aria-invalid={fileError ? true : undefined}
          />
        </label>
        <label className="field">
          <span>Title</span>
          <input value={title} onChange={(event) => setTitle(event.target.value)} placeholder="Call" />
        </label>
        <label className="field">
          <span>Date</span>
          <input
            type="datetime-local"
            value={startedAt}
            onChange={(event) => setStartedAt(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Owner</span>
          <select value={owner} onChange={(event) => setOwner(event.target.value)}>
            {userId === null && <option value="">Choose a member</option>}
            {members.map((member) => (
              <option key={member.userId} value={String(member.userId)}>
                {member.displayName ?? member.name}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p id={errorId} className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={upload.isPending}>
          {upload.isPending ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {uploadedId !== null && <UploadedCall accountId={accountId} callId={uploadedId} />}
    </section>
  );
}

function UploadedCall({ accountId, callId }: { accountId: number; callId: number }) {
  const call = useCall(accountId, callId).data;
  if (!call) return null;
  return (
    <div className="uploaded-call" role="status" aria-live="polite">
      <span>Uploaded </span>
      <Link to={`/accounts/${String(accountId)}/calls/${String(call.id)}`}>{call.title}</Link>{' '}
      <StateChip state={call.state} />
      {call.state === 'failed' && call.failureReason && <p className="form-error">{call.failureReason}</p>}
    </div>
  );
}
