import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { useAccount } from '../shell/account-context';
import { isSettled, playableUrl, useCall, type CallDetail } from './api';
import { callDate, clock, StateChip, TagList } from './format';
import { Transcript } from './Transcript';
import './calls.css';

/** One call: the recording, the transcript following playback, summary, highlights and topics. */
export default function CallPage() {
  const { accountId } = useAccount();
  const params = useParams();
  const callId = Number(params.callId);
  const isValidId = Number.isSafeInteger(callId) && callId > 0;
  const query = useCall(accountId, callId, isValidId);
  const call = query.data;

  useEffect(() => {
    document.title = `${call?.title ?? 'Call'} · Parley`;
  }, [call?.title]);

  const back = (
    <Link className="calls-back" to={`/accounts/${String(accountId)}/calls`}>
      ← All calls
    </Link>
  );
  if (!isValidId || (query.error instanceof ApiError && query.error.status === 404)) {
    return (
      <div className="calls-page">
        {back}
        <h1>Call not found</h1>
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="calls-page">
        {back}
        <p className="form-error" role="alert">
          The call could not be loaded: {query.error.message}
        </p>
      </div>
    );
  }
  if (!call) return <p className="loading">Loading call…</p>;
  return (
    <div className="calls-page">
      {back}
      <CallView call={call} />
    </div>
  );
}

function CallView({ call }: { call: CallDetail }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [currentTime, setCurrentTime] = useState(0);
  const [isPlaying, setIsPlaying] = useState(false);
  // The link is re-signed on every fetch: keep the first one, or each poll would reload the audio.
  const recordingUrl = call.recording?.url ?? null;
  const [src, setSrc] = useState(() => (recordingUrl === null ? null : playableUrl(recordingUrl)));
  useEffect(() => {
    if (src === null && recordingUrl !== null) setSrc(playableUrl(recordingUrl));
  }, [src, recordingUrl]);

  const seek = useCallback((seconds: number) => {
    const element = audio.current;
    if (!element) return;
    element.currentTime = seconds;
    setCurrentTime(seconds);
  }, []);

  return (
    <article className="call-view" aria-labelledby="call-title">
      <header className="call-header">
        <h1 id="call-title">{call.title}</h1>
        <p className="call-meta">
          <span>{callDate(call.startedAt)}</span>
          {call.user && <span>{call.user.name}</span>}
          {call.durationSeconds > 0 && <span>{clock(call.durationSeconds)}</span>}
          {call.contacts.length > 0 && (
            <span>with {call.contacts.map((contact) => contact.name).join(', ')}</span>
          )}
          <StateChip state={call.state} />
        </p>
        <TagList tags={call.tags} />
        {!isSettled(call.state) && (
          <p className="subtle" role="status">
            Processing: this page updates when the transcript and summary are ready.
          </p>
        )}
        {call.state === 'failed' && call.failureReason && (
          <p className="form-error">Processing failed: {call.failureReason}</p>
        )}
      </header>
      <div className="call-body">
        <section className="call-main" aria-labelledby="transcript-title">
          <div className="call-player">
            {src ? (
              <audio
                ref={audio}
                src={src}
                controls
                preload="metadata"
                aria-label="Call recording"
                onTimeUpdate={(event) => setCurrentTime(event.currentTarget.currentTime)}
                onSeeked={(event) => setCurrentTime(event.currentTarget.currentTime)}
                onPlay={() => setIsPlaying(true)}
                onPause={() => setIsPlaying(false)}
                onEnded={() => setIsPlaying(false)}
              />
            ) : (
              <p className="subtle">No recording to play.</p>
            )}
          </div>
          <h2 id="transcript-title">Transcript</h2>
          {call.transcript.length > 0 ? (
            <>
              <p className="subtle">Select a line to play from there.</p>
              <Transcript
                segments={call.transcript}
                currentTime={currentTime}
                isPlaying={isPlaying}
                onSeek={seek}
              />
            </>
          ) : (
            <p className="subtle">
              {isSettled(call.state) ? 'No transcript.' : 'The transcript is on its way.'}
            </p>
          )}
        </section>
        <aside className="call-side" aria-label="Call insights">
          <section aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <p className="call-summary">
              {call.summary ?? (isSettled(call.state) ? 'No summary.' : 'Not ready yet.')}
            </p>
          </section>
          <section aria-labelledby="highlights-title">
            <h2 id="highlights-title">Highlights</h2>
            {call.highlights.length > 0 ? (
              <ul className="call-highlights">
                {call.highlights.map((highlight, index) => (
                  <li key={`${String(highlight.startSeconds)}-${String(index)}`}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => seek(highlight.startSeconds)}
                    >
                      {clock(highlight.startSeconds)}
                    </button>{' '}
                    {highlight.speaker && <strong>{highlight.speaker}: </strong>}
                    {highlight.text}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="subtle">None.</p>
            )}
          </section>
          <section aria-labelledby="topics-title">
            <h2 id="topics-title">Topics</h2>
            {call.topics.length > 0 ? (
              <ul className="chips call-topics">
                {call.topics.map((topic) => (
                  <li key={topic.name} className="chip">
                    {topic.startSeconds === null ? (
                      topic.name
                    ) : (
                      <button
                        type="button"
                        className="topic-seek"
                        aria-label={`${topic.name}, play from ${clock(topic.startSeconds)}`}
                        onClick={() => seek(topic.startSeconds ?? 0)}
                      >
                        {topic.name}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="subtle">None.</p>
            )}
          </section>
        </aside>
      </div>
    </article>
  );
}
