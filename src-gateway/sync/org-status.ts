import type { OrgConfig } from '../config/config-schema.js';
import type { OrgAuditView, OrgPolicyView, OrgStatusView } from '../control/contract.js';
import type { OrgIdentity } from './identity/org-identity.js';

/**
 * The parts of org mode besides the sign-in, as the status shows them: the policy bundle in force
 * (policy sync) and the audit outbox (audit shipping). Null while a part is not running.
 */
export interface OrgStatusParts {
  policy(): OrgPolicyView | null;
  audit(): OrgAuditView | null;
}

/** What `GET /control/org` answers when the config has no `org` section. */
export const ORG_NOT_CONFIGURED: OrgStatusView = { configured: false, identity: null, pendingLogin: null, policy: null, audit: null };

/** The whole org status: configuration, sign-in, and each part's view. */
export function orgStatusView(org: OrgConfig, identity: OrgIdentity, parts: OrgStatusParts): OrgStatusView {
  const loginError = identity.lastError();
  return {
    configured: true,
    issuer: org.issuer,
    hub: org.hub,
    identity: identity.view(),
    pendingLogin: identity.pendingLogin(),
    ...(loginError ? { loginError } : {}),
    policy: parts.policy(),
    audit: parts.audit(),
  };
}
