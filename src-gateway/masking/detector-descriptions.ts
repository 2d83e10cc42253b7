import type { CustomDetectorSpec } from './mask-types.js';

/** One line per built-in detector, for people choosing which to turn on; keyed by detector name. */
const BUILT_IN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'private-key': 'PEM private keys, from the BEGIN line through the END line',
  jwt: 'JSON Web Tokens: three base64url parts starting "eyJ"',
  'azure-connection-string': 'Azure Storage, Service Bus, Event Hubs and SAS connection strings',
  'database-url': 'Database and broker URLs with a password (postgres://user:pass@host, redis://…)',
  'aws-access-key-id': 'AWS access key ids (AKIA… and ASIA…)',
  'aws-secret-key': 'AWS secret access keys, when assigned to an AWS secret key name',
  'github-token': 'GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
  'gitlab-token': 'GitLab tokens (glpat-, glptt-, gldt-, glrt-)',
  'slack-token': 'Slack tokens (xoxb-, xoxp-, xoxa-, …)',
  'stripe-key': 'Stripe keys (sk_live_, sk_test_, rk_live_, rk_test_, pk_live_)',
  'anthropic-key': 'Anthropic API keys (sk-ant-)',
  'openai-key': 'OpenAI API keys (sk-…, with a random-looking body)',
  'google-api-key': 'Google API keys (AIza…, 39 characters)',
  'npm-token': 'npm access tokens (npm_)',
  email: 'Email addresses',
  card: 'Payment card numbers that pass the issuer prefix, length and Luhn checks',
  iban: 'International bank account numbers (IBAN) that pass the mod-97 check',
  'us-ssn': 'US Social Security numbers (NNN-NN-NNNN, in the issued ranges)',
  phone: 'Phone numbers, national and international (+44 20 7946 0958)',
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  'date-of-birth': 'Dates that follow a birth keyword (born, DOB, date of birth, birthday)',
  'password-assignment': 'Values assigned to a password, secret, API key or token name (password=…, "api_key": "…")',
};

/** What a detector finds, in one line: a built-in one's own description, or a custom one's pattern. */
export function describeDetector(name: string, custom: readonly CustomDetectorSpec[] = []): string | undefined {
  const spec = custom.find((detector) => detector.name === name);
  if (spec) return `Defined in the policy: matches /${spec.regex}/${spec.validator ? `, checked with ${spec.validator}` : ''}`;
  return BUILT_IN_DESCRIPTIONS[name];
}
