import { identify } from './identify.js';
import type { Stage } from './pipeline-types.js';

/**
 * The pipeline, in order — order matters: a message is identified before anything decides about
 * it. Stages for policy and approval (to the server) and masking (to the agent) join this list.
 * Recording and passing messages on are the runner's job, so no stage can skip them.
 */
export const PIPELINE: readonly Stage[] = [identify];
