import type { Detector, Span } from '../mask-types.js';
import { isAlnumCode, standsAlone } from '../validators/boundaries.js';
import { shannonEntropy } from '../validators/entropy.js';

/** `AKIA` (long-term) or `ASIA` (temporary) and 16 upper-case letters or digits, standing alone. */
export const awsAccessKeyId: Detector = {
  name: 'aws-access-key-id',
  label: 'AWS_KEY_ID',
  style: 'full',
  pattern: 'A[KS]IA[A-Z0-9]{16}',
  validate: (value, text, start) => standsAlone(text, start, start + value.length, isAlnumCode),
};

/** Secret keys are 40 random base64 characters, about 5 bits each; a made-up filler has far less. */
const MIN_SECRET_ENTROPY = 3.5;
const SECRET = /^[A-Za-z0-9/+]{40}$/;
/** Also the end of `aws_secret_access_key` and `AWS_SECRET_ACCESS_KEY`. */
const KEY_NAME = 'secret[ _-]?access[ _-]?key';

const isSecretKey = (value: string) => SECRET.test(value) && shannonEntropy(value) >= MIN_SECRET_ENTROPY;

/**
 * Forty base64 characters look like many things (hashes, ids), so only a value right after an AWS
 * secret key name counts: `aws_secret_access_key = …`, `AWS_SECRET_ACCESS_KEY=…`,
 * `"SecretAccessKey": "…"`. Only the value is masked.
 */
export const awsSecretKey: Detector = {
  name: 'aws-secret-key',
  label: 'AWS_SECRET',
  style: 'full',
  pattern: `${KEY_NAME}["']?[ \\t]{0,3}[:=][ \\t]{0,3}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
  flags: 'i',
  prefilter: [':', '='],
  span: (match) => [match.index + match[0].length - match[1].length, match.index + match[0].length],
  validate: isSecretKey,
  keyed: {
    key: new RegExp(`${KEY_NAME}$`, 'i'),
    span: (value): Span | undefined => (isSecretKey(value) ? [0, value.length] : undefined),
  },
};
