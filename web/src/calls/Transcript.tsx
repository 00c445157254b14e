import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CallDetail } from './api';
import { clock } from './format';

type Segment = CallDetail['transcript'][number];

/** The segment playing at `time` (start inclusive, end exclusive), or -1 in a silence. Segments are in time order. */
export function segmentAt(segments: readonly Segment[], time: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle];
    if (!segment) break;
    if (segment.startSeconds <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  const candidate = segments[found];
  return candidate && time < candidate.endSeconds ? found : -1;
}

/**
 * The transcript, following playback: the segment being heard is marked `aria-current` and kept in
 * view while playing; activating a segment (click, Enter, Space) seeks there. One tab stop for the
 * whole list (arrow keys, Home and End move between segments), so a long call does not cost a
 * keyboard user hundreds of Tab presses.
 */
export function Transcript(props: {
  segments: Segment[];
  currentTime: number;
  isPlaying: boolean;
  onSeek: (seconds: number) => void;
}) {
  const { segments, currentTime, isPlaying, onSeek } = props;
  const current = segmentAt(segments, currentTime);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const [focusIndex, setFocusIndex] = useState(0);
  const speakerOrder = [...new Set(segments.map((segment) => segment.speakerId))];

  useEffect(() => {
    if (current < 0 || !isPlaying) return;
    buttons.current[current]?.scrollIntoView({ block: 'nearest' });
  }, [current, isPlaying]);

  // The tab stop follows playback until the listener moves it.
  useEffect(() => {
    if (current >= 0) setFocusIndex(current);
  }, [current]);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = segments.length - 1;
    const target =
      event.key === 'ArrowDown'
        ? Math.min(index + 1, last)
        : event.key === 'ArrowUp'
          ? Math.max(index - 1, 0)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    setFocusIndex(target);
    buttons.current[target]?.focus();
  };

  if (segments.length === 0) return null;
  return (
    <ol className="transcript" aria-label="Transcript">
      {segments.map((segment, index) => (
        <li
          key={`${String(segment.startSeconds)}-${String(index)}`}
          className={`segment speaker-${String(speakerOrder.indexOf(segment.speakerId) % 4)}`}
          aria-current={index === current ? 'true' : undefined}
        >
          <button
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            className="segment-seek"
            tabIndex={index === focusIndex ? 0 : -1}
            data-start={segment.startSeconds}
            onClick={() => {
              setFocusIndex(index);
              onSeek(segment.startSeconds);
            }}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            <span className="segment-meta">
              <span className="segment-speaker">{segment.speaker}</span>
              <span className="segment-time">{clock(segment.startSeconds)}</span>
            </span>
            <span className="segment-text">{segment.text}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
