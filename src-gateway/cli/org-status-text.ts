import type { OrgIdentityView, OrgStatusView } from '../control/contract.js';

/** Who is signed in, e.g. "ada@example.test (groups: engineering, dba)". */
export function describeIdentity(identity: OrgIdentityView): string {
  const who = identity.email ?? identity.name ?? identity.subject;
  return `${who} (groups: ${identity.groups.length ? identity.groups.join(', ') : 'none'})`;
}

/** `airlock org status` as text: sign-in, policy bundle, audit outbox. */
export function describeOrgStatus(status: OrgStatusView, now = Date.now()): string {
  if (!status.configured) return 'org mode is off: the config has no `org` section';
  const lines = [`issuer: ${status.issuer}`, `hub:    ${status.hub}`];
  lines.push(status.identity ? `signed in as ${describeIdentity(status.identity)}` : 'signed out: run `airlock login`');
  if (status.pendingLogin) lines.push('a sign-in is in progress');
  if (status.loginError) lines.push(`sign-in problem: ${status.loginError}`);
  const { policy, audit } = status;
  if (!policy) lines.push('policy bundle: not synced');
  else {
    const age = policy.fetchedAt === null ? 'never fetched' : `fetched ${ago(policy.fetchedAt, now)}`;
    lines.push(`policy bundle: ${policy.version ?? 'none yet'} (${age}, ${policy.ruleCount} rules)`);
    if (policy.error) lines.push(`  last fetch failed: ${policy.error} (the bundle above stays in force)`);
    if (policy.requiresVersion) lines.push(`  the org requires Airlock ${policy.requiresVersion} or newer: calls are refused until you update`);
  }
  if (!audit) lines.push('audit shipping: not running');
  else {
    lines.push(`audit: ${audit.unshipped} records to ship${audit.lastShippedAt === null ? '' : `, last shipped ${ago(audit.lastShippedAt, now)}`}`);
    if (audit.lastError) lines.push(`  last attempt failed: ${audit.lastError}`);
    if (audit.dropped) lines.push(`  ${audit.dropped} records dropped unshipped (org.audit.maxUnshipped)`);
  }
  return lines.join('\n');
}

function ago(ts: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - ts) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
