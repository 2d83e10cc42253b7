import type { Detector, Span } from '../mask-types.js';
import { standsAlone } from '../validators/boundaries.js';

const isBase64UrlCode = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;

/** The payload and signature after the header: ".payload.signature", the signature empty for `alg: none`. */
const REST = /\.[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{0,8192}/y;

/**
 * The pattern takes the header's whole run of base64url, which nothing has to follow, so a run that
 * turns out not to be a token is never scanned again from a later `eyJ` inside it; the rest is read
 * from where the header ends.
 */
function jwtSpan(match: RegExpExecArray, text: string): Span | undefined {
  REST.lastIndex = match.index + match[0].length;
  return REST.test(text) ? [match.index, REST.lastIndex] : undefined;
}

/**
 * Three base64url parts, the first starting `eyJ` (`{"` encoded) and long enough to hold an `alg`
 * (`{"alg":"x"}` is 15 characters encoded). A one-part `eyJ…` cursor is not a token. Parts longer
 * than the bound are masked up to it, so a huge token fails closed.
 */
export const jwt: Detector = {
  name: 'jwt',
  label: 'JWT',
  style: 'full',
  pattern: 'eyJ[A-Za-z0-9_-]{10,8192}',
  span: jwtSpan,
  validate: (value, text, start) => standsAlone(text, start, start + value.length, isBase64UrlCode),
};
