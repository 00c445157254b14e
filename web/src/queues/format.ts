import { useEffect, useState } from 'react';
import type { OfferingAlgorithm, QueueLive } from './api';

/** The six offering algorithms of the routing core, as an administrator reads them. */
export const algorithmLabels: Record<OfferingAlgorithm, string> = {
  AllAtOnce: 'All at once',
  OneAtATimeRandom: 'One at a time, random',
  LongestIdle: 'One at a time, longest idle first',
  AgentPriorityAllAtOnce: 'By agent priority, all at once',
  AgentPriorityOneAtATimeRandom: 'By agent priority, one at a time, random',
  AgentPriorityLongestIdle: 'By agent priority, longest idle first',
};

/** "45 s", "2 min 5 s", "1 h 3 min". */
export function seconds(value: number): string {
  const whole = Math.max(0, Math.round(value));
  if (whole < 60) return `${String(whole)} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    const rest = whole % 60;
    return rest ? `${String(minutes)} min ${String(rest)} s` : `${String(minutes)} min`;
  }
  const rest = minutes % 60;
  const hours = Math.floor(minutes / 60);
  return rest ? `${String(hours)} h ${String(rest)} min` : `${String(hours)} h`;
}

/**
 * The longest wait as of now: what the server measured plus the time since it answered (its
 * clock, not the browser's), so the figure runs on between refreshes.
 */
export function longestWait(live: QueueLive, measuredAt: number, now: number): string {
  if (live.waiting + live.offered === 0) return '—';
  return seconds(live.longestWaitSeconds + Math.max(0, now - measuredAt) / 1000);
}

/** The current time, moving every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      window.clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
}

export function lastSeen(value: string | null): string {
  return value ? new Date(value).toLocaleString() : 'Never';
}
