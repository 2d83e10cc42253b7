import { approval } from './approval.js';
import { filterTools } from './filter-tools.js';
import { identify } from './identify.js';
import { mask } from './mask.js';
import { pinTools } from './pin-tools.js';
import { policy } from './policy.js';
import type { Stage } from './pipeline-types.js';

/**
 * The pipeline, in order — order matters. To the server: identify the call, refuse held tools,
 * apply the policy, mask the arguments for the record (before a person sees them), wait for
 * approval where it asks. To the agent: identify, hide held tools, mask results and errors, hide
 * tools the policy never allows. Recording and passing messages on are the runner's job, so
 * no stage can skip them.
 */
export const PIPELINE: readonly Stage[] = [identify, pinTools, policy, mask, approval, filterTools];
