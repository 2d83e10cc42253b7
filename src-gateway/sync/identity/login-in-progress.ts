import type { OrgLoginView } from '../../control/contract.js';
import type { TokenResponse } from './token-claims.js';

/** A sign-in started: what the person must do, and the tokens once they have done it. */
export interface LoginInProgress {
  view: OrgLoginView;
  /** Rejects when the person declines, the login expires, or it is cancelled through the signal. */
  tokens: Promise<TokenResponse>;
}
