import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { CONTINUE, type Stage } from './pipeline-types.js';

/** Hides from tools/list the tools the policy would deny whatever the arguments: the agent need not try. */
export const filterTools: Stage = {
  name: 'filter-tools',
  directions: ['to-agent'],
  run(message, ctx) {
    if (ctx.call.kind !== 'response' || ctx.call.method !== 'tools/list' || !('result' in message)) return CONTINUE;
    const result = message.result as { tools?: Tool[] };
    if (!Array.isArray(result.tools)) return CONTINUE;
    const policy = ctx.services.policy();
    const { server, client, groups } = ctx.session;
    const allowed = result.tools.filter((tool) => policy.mayCall({ server, tool: tool.name, client, groups }));
    if (allowed.length === result.tools.length) return CONTINUE;
    return { action: 'continue', message: { ...message, result: { ...result, tools: allowed } } };
  },
};
