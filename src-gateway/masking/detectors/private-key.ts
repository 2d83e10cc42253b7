import type { Detector, Span } from '../mask-types.js';

/** Longest body between BEGIN and END lines taken as one key; 8192-bit RSA keys are about 6.5 KB. */
const MAX_BODY = 16_384;
const END_LINE = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/y;
/**
 * One line of key material in a block whose END line is missing: after a line break (or an escaped
 * one, in JSON), base64 and nothing else up to the end of the line.
 */
const KEY_LINE = /(?:\r?\n|\\r?\\n)[ \t]*[A-Za-z0-9+/=]{1,76}[ \t]*(?=\r?\n|\\r?\\n|["'`]|$)/y;

/**
 * From the BEGIN line through the END line. The body is never matched by a regex (a block without
 * END must not send one scanning to the end of the text): the next "-----" is the END line or not.
 * Without one, the block was cut short, and the lines of key material that are there are masked
 * anyway; a BEGIN line with none after it gives nothing away.
 */
function pemSpan(match: RegExpExecArray, text: string): Span | undefined {
  const bodyStart = match.index + match[0].length;
  const dashes = text.indexOf('-----', bodyStart);
  if (dashes >= 0 && dashes - bodyStart <= MAX_BODY) {
    END_LINE.lastIndex = dashes;
    if (END_LINE.test(text)) return [match.index, END_LINE.lastIndex];
  }
  let end = bodyStart;
  KEY_LINE.lastIndex = bodyStart;
  while (end - bodyStart < MAX_BODY && KEY_LINE.test(text)) end = KEY_LINE.lastIndex;
  while (end > bodyStart && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end > bodyStart ? [match.index, end] : undefined;
}

export const privateKey: Detector = {
  name: 'private-key',
  label: 'PRIVATE_KEY',
  style: 'full',
  pattern: '-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----',
  span: pemSpan,
};
