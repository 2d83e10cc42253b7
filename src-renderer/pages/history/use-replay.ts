import { useEffect, useState } from 'react';

export type ReplaySpeed = '1' | '2' | '4' | 'instant';
export const SPEEDS: ReadonlyArray<{ value: ReplaySpeed; label: string }> = [
  { value: '1', label: '1×' },
  { value: '2', label: '2×' },
  { value: '4', label: '4×' },
  { value: 'instant', label: 'Instant' },
];
/** A long pause in the recording is not worth waiting for. */
const MAX_GAP_MS = 2000;

/** How long to wait before showing the message after `from`, at `speed`. */
export function replayDelay(from: number, to: number, speed: ReplaySpeed): number {
  if (speed === 'instant') return 0;
  return Math.min(MAX_GAP_MS, Math.max(0, to - from) / Number(speed));
}

export interface Replay {
  /** Index of the message shown last. */
  position: number;
  playing: boolean;
  speed: ReplaySpeed;
  setSpeed(speed: ReplaySpeed): void;
  toggle(): void;
  next(): void;
  previous(): void;
}

/**
 * Steps through recorded messages like a recording: the gaps between them follow their real
 * timestamps, scaled by the speed and capped at 2 s. Playing from the end starts over.
 */
export function useReplay(timestamps: readonly number[]): Replay {
  const count = timestamps.length;
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<ReplaySpeed>('1');
  const last = Math.max(0, count - 1);

  useEffect(() => {
    if (!playing) return;
    if (position >= last) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => setPosition((at) => Math.min(last, at + 1)), replayDelay(timestamps[position], timestamps[position + 1], speed));
    return () => clearTimeout(timer);
  }, [playing, position, speed, last, timestamps]);

  return {
    position: Math.min(position, last),
    playing,
    speed,
    setSpeed,
    toggle: () => {
      if (playing) return setPlaying(false);
      if (position >= last) setPosition(0);
      setPlaying(true);
    },
    next: () => {
      setPlaying(false);
      setPosition((at) => Math.min(last, at + 1));
    },
    previous: () => {
      setPlaying(false);
      setPosition((at) => Math.max(0, at - 1));
    },
  };
}
