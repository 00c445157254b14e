import type { CallState, CallTag } from './api';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function callDate(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : 'Unknown date';
}

/** 75.4 -> "1:15"; 3725 -> "1:02:05". */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0
    ? `${String(hours)}:${String(minutes).padStart(2, '0')}:${rest}`
    : `${String(minutes)}:${rest}`;
}

export const stateLabels: Record<CallState, string> = {
  pending_upload: 'Waiting for upload',
  pending_download: 'Downloading',
  downloaded: 'Queued',
  transcribing: 'Transcribing',
  transcribed: 'Transcribed',
  summarizing: 'Summarizing',
  summarized: 'Ready',
  failed: 'Failed',
};

export function StateChip({ state }: { state: CallState }) {
  const tone = state === 'summarized' ? 'ready' : state === 'failed' ? 'failed' : 'working';
  return (
    <span className={`call-state call-state-${tone}`} data-state={state}>
      {stateLabels[state]}
    </span>
  );
}

export function TagList({ tags }: { tags: CallTag[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="chips" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag.id} className="chip call-tag" style={{ borderColor: `#${tag.color}` }}>
          {tag.name}
        </li>
      ))}
    </ul>
  );
}
