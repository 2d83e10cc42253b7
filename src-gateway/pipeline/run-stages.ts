import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Decision, PipelineContext, Stage } from './pipeline-types.js';

/** The pipeline's final word: the message to pass on, or why not. */
export type FinalDecision = { action: 'continue'; message: JSONRPCMessage } | Exclude<Decision, { action: 'continue' }>;

/**
 * Runs the stages that apply to this direction, in order, until one decides other than `continue`.
 * A stage that rewrites the message hands the new one to the stages after it.
 */
export async function runStages(
  stages: readonly Stage[],
  message: JSONRPCMessage,
  ctx: PipelineContext,
): Promise<FinalDecision> {
  let current = message;
  for (const stage of stages) {
    if (!stage.directions.includes(ctx.direction)) continue;
    const decision = await stage.run(current, ctx);
    if (decision.action !== 'continue') return decision;
    if (decision.message) current = decision.message;
  }
  return { action: 'continue', message: current };
}
