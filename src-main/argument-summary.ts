/**
 * A call's arguments as one short line for a notification: `key: value, key: value`, strings
 * quoted, nested objects and arrays abbreviated, control characters and runs of whitespace
 * collapsed, cut at `maxLength` with "…". Only the values given are shown: pass the arguments as the
 * gateway sent them with the pending approval, which are already masked; nothing else goes in.
 */
export function argumentSummary(args: unknown, maxLength = 120): string {
  const line = oneLine(describe(args, 0));
  if (line.length <= maxLength) return line;
  return `${line.slice(0, Math.max(0, maxLength - 1)).trimEnd()}…`;
}

function describe(value: unknown, depth: number): string {
  if (value === undefined || value === null) return depth === 0 ? 'no arguments' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (depth > 0) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
    return value.length === 0 ? 'no arguments' : value.map((item) => describe(item, depth + 1)).join(', ');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (depth > 0) return entries.length === 0 ? '{}' : '{…}';
    if (entries.length === 0) return 'no arguments';
    return entries.map(([key, item]) => `${key}: ${describe(item, depth + 1)}`).join(', ');
  }
  // Functions, symbols, bigints cannot come from JSON; say nothing of them.
  return '?';
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}
