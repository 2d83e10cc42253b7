import type { Detector, Span } from '../mask-types.js';
import { isPlaceholder } from '../validators/secret-value.js';

const SCHEMES = new Set(['postgres', 'postgresql', 'mysql', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss',
  'amqp', 'amqps', 'mssql', 'sqlserver']);
const MAX_SCHEME = 11;

const isLetterCode = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isSchemeCode = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 45 || code === 46;

/**
 * The pattern starts at `://`, which is quick to find, and the scheme is read back from there. The
 * URL ends where the prose around it resumes.
 */
function urlSpan(match: RegExpExecArray, text: string): Span | undefined {
  let start = match.index;
  while (start > 0 && match.index - start < MAX_SCHEME && isSchemeCode(text.charCodeAt(start - 1))) start--;
  // The scheme is the longest known one the run ends with, and starts after anything but a letter.
  while (start < match.index && (!SCHEMES.has(text.slice(start, match.index).toLowerCase()) || isLetterCode(text.charCodeAt(start - 1)))) start++;
  if (start === match.index) return undefined;
  if (isPlaceholder(match[1])) return undefined;
  const trimmed = match[0].replace(/[.,;:)\]}]+$/, '');
  return [start, match.index + trimmed.length];
}

/** `scheme://user:password@host…` for the database and broker schemes; without a password it is not a finding. */
export const databaseUrl: Detector = {
  name: 'database-url',
  label: 'DATABASE_URL',
  style: 'full',
  pattern: ':\\/\\/[^\\s:@\\/"\'<>]{0,128}:([^\\s@\\/?#"\'<>]{1,256})@[^\\s"\'<>]{1,1024}',
  span: urlSpan,
};
