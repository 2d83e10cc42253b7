import type { Detector } from '../mask-types.js';
import { isIssuableSsn } from '../validators/ssn.js';

/** `NNN-NN-NNNN` with the dashes, standing alone, in a range the SSA issues. */
export const usSsn: Detector = {
  name: 'us-ssn',
  label: 'SSN',
  style: 'full',
  pattern: '(?<![\\w-])\\d{3}-\\d{2}-\\d{4}(?![\\w-])',
  prefilter: ['-'],
  validate: isIssuableSsn,
};
