import { createInterface } from 'node:readline';
import type { ApprovalBroker } from './approval-broker.js';
import { localUserName } from './local-user.js';
import type { ApprovalDecision, PendingApproval } from './approval-types.js';

const ANSWERS: Record<string, ApprovalDecision> = { o: 'allow-once', s: 'allow-session', a: 'allow-always', d: 'deny' };

/**
 * The terminal channel: when the gateway runs in a terminal, each held call is shown with a prompt,
 * one at a time. An approval answered elsewhere first is dropped from the queue. Returns a stop function.
 */
export function startTerminalPrompt(broker: ApprovalBroker, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, now = Date.now): () => void {
  const queue: PendingApproval[] = [];
  const lines = createInterface({ input, terminal: false });
  const show = () => {
    const current = queue[0];
    if (!current) return;
    const seconds = Math.max(0, Math.round((current.expiresAt - now()) / 1000));
    output.write(
      `\nApproval needed [${current.id.slice(0, 8)}]: client "${current.client}" → ${current.server}: ${current.tool ?? current.method}\n` +
        `  arguments: ${JSON.stringify(current.arguments)}\n` +
        `  rule ${current.ruleId}: ${current.reason} (${seconds} s left)\n` +
        `  [o]nce  [s]ession  [a]lways  [d]eny (d <reason>) > `,
    );
  };
  lines.on('line', (line) => {
    const current = queue[0];
    if (!current) return;
    const [word, ...reason] = line.trim().split(/\s+/);
    const decision = ANSWERS[word?.[0]?.toLowerCase() ?? ''];
    if (!decision) {
      output.write('  answer o, s, a or d > ');
      return;
    }
    broker.decide(current.id, decision, 'terminal', reason.join(' ') || undefined, { by: `${localUserName()} (terminal)`, binding: current.binding });
  });
  const stopPending = broker.on('pending', (approval) => {
    queue.push(approval);
    if (queue.length === 1) show();
  });
  const stopResolved = broker.on('resolved', (approval, resolution) => {
    const index = queue.findIndex((held) => held.id === approval.id);
    if (index < 0) return;
    queue.splice(index, 1);
    if (index === 0) {
      output.write(`  → ${resolution?.decision} (${resolution?.channel})\n`);
      show();
    }
  });
  return () => {
    stopPending();
    stopResolved();
    lines.close();
  };
}
