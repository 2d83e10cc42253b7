import type { Detector } from '../mask-types.js';
import { awsAccessKeyId, awsSecretKey } from './aws.js';
import { azureConnectionString } from './azure-connection-string.js';
import { card } from './card.js';
import { databaseUrl } from './database-url.js';
import { dateOfBirth } from './date-of-birth.js';
import { email } from './email.js';
import { iban } from './iban.js';
import { ipv4, ipv6 } from './ip-address.js';
import { jwt } from './jwt.js';
import { passwordAssignment } from './password-assignment.js';
import { phone } from './phone.js';
import { privateKey } from './private-key.js';
import {
  anthropicKey, githubToken, gitlabToken, googleApiKey, npmToken, openaiKey, slackToken, stripeKey,
} from './provider-tokens.js';
import { usSsn } from './us-ssn.js';

/**
 * Every built-in detector. Order matters: when two findings cover exactly the same text, the one
 * listed first wins, so specific formats come before the generic ones (a JWT assigned to `token=`
 * is reported as a JWT, a database URL assigned to `password=` as a database URL).
 */
export const BUILT_IN_DETECTORS: readonly Detector[] = [
  privateKey,
  jwt,
  azureConnectionString,
  databaseUrl,
  awsAccessKeyId,
  awsSecretKey,
  githubToken,
  gitlabToken,
  slackToken,
  stripeKey,
  anthropicKey,
  openaiKey,
  googleApiKey,
  npmToken,
  email,
  card,
  iban,
  usSsn,
  phone,
  ipv4,
  ipv6,
  dateOfBirth,
  passwordAssignment,
];
