// A realistic 200-rule policy, shared by `bench:policy` (evaluation alone) and `bench` (the gateway).
import { PolicySchema, type Policy } from '../../src-gateway/policy/policy-schema.js';

const SERVERS = ['github', 'postgres', 'filesystem', 'slack', 'jira', 'shell', 'crm', 'docs', 'browser', 'warehouse'];
const TOOLS = ['get_item', 'list_items', 'search', 'create_item', 'update_item', 'delete_item', 'run_query', 'read_file', 'write_file', 'send_message'];

/**
 * 200 rules as a team might write them: mostly per server and tool, some with argument conditions,
 * some for clients and groups, and one in eight on arguments of any tool (each evaluated on every
 * call that gets that far). The rule for the measured call is rule 196 of 200.
 */
export function realisticPolicy(): Policy {
  const rules: unknown[] = [];
  for (let i = 0; rules.length < 195; i++) {
    const server = SERVERS[i % SERVERS.length];
    const tool = TOOLS[(i * 7) % TOOLS.length];
    const id = `r${i}`;
    switch (i % 8) {
      case 0:
        rules.push({ id, match: { tool: '*', arguments: [{ pointer: '/query', regex: `(?i)\\b(?:drop|truncate)\\s+table\\s+audit_${i}\\b` }] }, action: 'deny', reason: `audit_${i} is kept` });
        break;
      case 1:
        rules.push({ id, match: { server, tool, arguments: [{ pointer: '/path', regex: '(?i)(?:secret|\\.pem$|\\.key$)' }] }, action: 'deny' });
        break;
      case 2:
        rules.push({ id, match: { server, tool: 'delete_*' }, action: 'approve', reason: 'Deletes need a human', timeoutSeconds: 300 });
        break;
      case 3:
        rules.push({ id, match: { server, tool: ['write_*', 'update_*'], client: 'ci-*' }, action: 'deny' });
        break;
      case 4:
        rules.push({ id, match: { server, tool, group: ['admins', `team-${i}`] }, action: 'allow' });
        break;
      case 5:
        rules.push({ id, match: { server, method: 'resources/read', tool: `file:///srv/${server}/private/*` }, action: 'deny' });
        break;
      case 6:
        rules.push({ id, match: { server, tool, arguments: [{ pointer: '/project', equals: `project-${i}` }] }, action: 'allow' });
        break;
      default:
        rules.push({ id, match: { server: `${server}-*`, tool }, action: 'allow' });
    }
  }
  rules.push({ id: 'warehouse-select', match: { server: 'warehouse', tool: 'run_query', arguments: [{ pointer: '/query', regex: '(?i)^\\s*select\\b' }] }, action: 'allow' });
  rules.push({ id: 'warehouse-sql', match: { server: 'warehouse', tool: 'run_query' }, action: 'approve' });
  rules.push({ id: 'shell-all', match: { server: 'shell' }, action: 'approve' });
  rules.push({ id: 'ci-nothing', match: { client: 'ci-*' }, action: 'deny' });
  rules.push({ id: 'guests-nothing', match: { group: 'guests' }, action: 'deny' });
  return PolicySchema.parse({ rules, defaultAction: 'allow' });
}
