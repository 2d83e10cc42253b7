import type { Detector } from '../mask-types.js';
import { isAlnumCode, isWordCode, standsAlone } from '../validators/boundaries.js';
import { mixesCharacterClasses, shannonEntropy } from '../validators/entropy.js';

// The patterns open with the provider's literal prefix, which the regex engine searches for fast, and
// check the boundaries in code instead of a lookbehind that would slow that search down. Prefilters
// are single characters every token of the kind contains: searching for one is nearly free, while a
// search for a longer literal costs as much as the regex.

const isTokenCode = (code: number) => isWordCode(code) || code === 45; // letters, digits, _ and -

/** A token whose character run does not continue on either side. */
const alone = (inside: (code: number) => boolean) => (value: string, text: string, start: number) =>
  standsAlone(text, start, start + value.length, inside);

export const githubToken: Detector = {
  name: 'github-token',
  label: 'GITHUB_TOKEN',
  style: 'full',
  pattern: 'gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}',
  prefilter: ['_'],
  validate: alone(isWordCode),
};

export const gitlabToken: Detector = {
  name: 'gitlab-token',
  label: 'GITLAB_TOKEN',
  style: 'full',
  pattern: 'gl(?:pat|ptt|dt|rt)-[A-Za-z0-9_-]{20,255}',
  prefilter: ['-'],
  validate: alone(isTokenCode),
};

export const slackToken: Detector = {
  name: 'slack-token',
  label: 'SLACK_TOKEN',
  style: 'full',
  pattern: 'xox[abpres]-[A-Za-z0-9-]{10,250}',
  prefilter: ['-'],
  validate: (value, text, start) => alone(isTokenCode)(value, text, start) && /\d/.test(value),
};

export const stripeKey: Detector = {
  name: 'stripe-key',
  label: 'STRIPE_KEY',
  style: 'full',
  pattern: '[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}|pk_live_[A-Za-z0-9]{10,247}',
  prefilter: ['_'],
  validate: alone(isWordCode),
};

/**
 * `sk-` alone is a loose format (`sk-learn-compatible`), so the body must look random: mixed case and
 * digits, and high entropy. Real keys carry 5–6 bits per character.
 */
const looksRandom = (body: string) => mixesCharacterClasses(body, 3) && shannonEntropy(body) >= 3.5;

export const anthropicKey: Detector = {
  name: 'anthropic-key',
  label: 'ANTHROPIC_KEY',
  style: 'full',
  pattern: 'sk-ant-[A-Za-z0-9_-]{20,250}',
  prefilter: ['-'],
  validate: (value, text, start) => alone(isTokenCode)(value, text, start) && looksRandom(value.slice(7)),
};

export const openaiKey: Detector = {
  name: 'openai-key',
  label: 'OPENAI_KEY',
  style: 'full',
  pattern: 'sk-[A-Za-z0-9_-]{20,250}',
  prefilter: ['-'],
  validate: (value, text, start) =>
    !value.startsWith('sk-ant-') && alone(isTokenCode)(value, text, start) && looksRandom(value.slice(3)),
};

/** Exactly 39 characters; a longer run is something else. */
export const googleApiKey: Detector = {
  name: 'google-api-key',
  label: 'GOOGLE_API_KEY',
  style: 'full',
  pattern: 'AIza[0-9A-Za-z_-]{35}',
  validate: alone(isTokenCode),
};

/** Exactly 36 characters after `npm_`. */
export const npmToken: Detector = {
  name: 'npm-token',
  label: 'NPM_TOKEN',
  style: 'full',
  pattern: 'npm_[A-Za-z0-9]{36}',
  prefilter: ['_'],
  validate: alone(isAlnumCode),
};
