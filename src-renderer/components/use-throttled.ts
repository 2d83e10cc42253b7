import { useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most once every `intervalMs`: the first change at once, a burst of later
 * ones as a single trailing update. For refetching on live events without a request per event.
 */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [passed, setPassed] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    const wait = lastAt.current + intervalMs - Date.now();
    if (wait <= 0) {
      lastAt.current = Date.now();
      setPassed(value);
      return;
    }
    const timer = setTimeout(() => {
      lastAt.current = Date.now();
      setPassed(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, intervalMs]);
  return passed;
}
