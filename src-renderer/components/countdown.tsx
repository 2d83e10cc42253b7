import { useEffect, useState } from 'react';

/** "2:05 left", ticking each second; "expired" once `until` has passed. */
export function Countdown({ until, label = 'Time left' }: { until: number; label?: string }) {
  const [now, setNow] = useState(Date.now);
  const left = Math.max(0, until - now);
  const expired = left <= 0;
  useEffect(() => {
    if (expired) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expired]);

  const seconds = Math.ceil(left / 1000);
  const text = expired ? 'expired' : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} left`;
  return (
    <span role="timer" className={`countdown${seconds <= 15 ? ' countdown-urgent' : ''}`} aria-label={`${label}: ${text}`}>
      <time dateTime={new Date(until).toISOString()}>{text}</time>
    </span>
  );
}
