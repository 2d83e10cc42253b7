import { setTimeout as sleep } from 'node:timers/promises';
import type { OrgLoginView, OrgStatusView } from '../control/contract.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';
import { callControl } from './control-client.js';
import { openInBrowser } from './open-in-browser.js';
import { describeIdentity } from './org-status-text.js';

const POLL_MS = 1000;

/**
 * `airlock login [--browser [--no-open]]`: signs the running gateway in to the org. The device
 * flow (default) prints a URL and a code to enter on any device; `--browser` opens the system
 * browser, which returns to the gateway's loopback listener. Waits until the sign-in completes.
 */
export async function loginCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, { browser: { type: 'boolean' }, 'no-open': { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  if (values['no-open'] && !values.browser) throw new UsageError('--no-open goes with --browser');
  const dataDir = resolveDataDir(values);
  const view = await callControl<OrgLoginView>(dataDir, 'POST', '/control/org/login', { flow: values.browser ? 'browser' : 'device' });
  if (view.flow === 'device') {
    process.stdout.write(`To sign in, open ${view.verificationUri} and enter the code ${view.userCode}\n`);
    if (view.verificationUriComplete) process.stdout.write(`(or open ${view.verificationUriComplete})\n`);
  } else {
    process.stdout.write(`To sign in, open this link in your browser:\n${view.authorizationUrl}\n`);
    if (!values['no-open']) openInBrowser(view.authorizationUrl, (command) => process.stderr.write(`airlock: could not start ${command}; open the link yourself\n`));
  }
  process.stdout.write('Waiting for the sign-in to complete…\n');
  const status = await waitForSignIn(dataDir, view.expiresAt);
  process.stdout.write(`Signed in as ${describeIdentity(status.identity!)}\n`);
}

/** Polls the gateway until the sign-in in progress is over; throws with the reason if it failed. */
async function waitForSignIn(dataDir: string, expiresAt: number): Promise<OrgStatusView> {
  for (;;) {
    await sleep(POLL_MS);
    const status = await callControl<OrgStatusView>(dataDir, 'GET', '/control/org');
    if (status.pendingLogin) {
      if (Date.now() > expiresAt + 30_000) throw new Error('the sign-in expired before it was completed');
      continue;
    }
    // A failed sign-in leaves an earlier one in place: the error, not the identity, says how it went.
    if (status.loginError || !status.identity) throw new Error(status.loginError ?? 'the sign-in did not complete; see the gateway log');
    return status;
  }
}
