import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { CONTINUE, type Stage } from './pipeline-types.js';

/**
 * Rug-pull defence. To the agent: each tools/list page goes through the pins, and tools whose
 * definition changed, or that shadow another server's tool, are hidden until a person approves.
 * To the server: calls to such a tool are refused.
 */
export const pinTools: Stage = {
  name: 'pin-tools',
  directions: ['to-server', 'to-agent'],
  run(message, ctx) {
    const { kind, method, tool } = ctx.call;
    if (ctx.direction === 'to-server') {
      if (kind !== 'request' || method !== 'tools/call' || tool === undefined) return CONTINUE;
      const held = ctx.services.pins.blocked(ctx.session.server, tool);
      if (!held) return CONTINUE;
      const why = held.reason === 'changed' ? 'its definition changed since it was approved' : `its name shadows a tool of "${held.shadows}"`;
      return { action: 'deny', reason: `The tool "${tool}" is held because ${why}; a person must review it (airlock pins held)`, rule: 'tool-pin' };
    }
    if (kind !== 'response' || method !== 'tools/list' || !('result' in message)) return CONTINUE;
    const result = message.result as { tools?: Tool[] };
    if (!Array.isArray(result.tools)) return CONTINUE;
    const { visible } = ctx.services.pins.review(ctx.session.server, result.tools);
    if (visible.length === result.tools.length) return CONTINUE;
    return { action: 'continue', message: { ...message, result: { ...result, tools: visible } } };
  },
};
