/** Formatting shared by the pages, in the user's locale. */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortTimeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** 14:03:27 */
export function formatTime(ms: number): string {
  return timeFormat.format(ms);
}

/** 14:03 */
export function formatShortTime(ms: number): string {
  return shortTimeFormat.format(ms);
}

/** 3 May 2025, 14:03 */
export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(ms);
}

/** 850 ms, 1.2 s, 2 min 5 s */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** 512 B, 3.4 kB */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The tool a call names, or its method when it names none (initialize, tools/list, …). */
export function describeCall(method: string | null, tool: string | null | undefined): string {
  if (tool) return tool;
  return method ?? '—';
}
