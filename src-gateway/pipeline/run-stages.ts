import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CONTINUE, type Decision, type PipelineContext, type Stage } from './pipeline-types.js';

/** Runs the stages that apply to this direction, in order, until one decides other than `continue`. */
export async function runStages(
  stages: readonly Stage[],
  message: JSONRPCMessage,
  ctx: PipelineContext,
): Promise<Decision> {
  for (const stage of stages) {
    if (!stage.directions.includes(ctx.direction)) continue;
    const decision = await stage.run(message, ctx);
    if (decision.action !== 'continue') return decision;
  }
  return CONTINUE;
}
