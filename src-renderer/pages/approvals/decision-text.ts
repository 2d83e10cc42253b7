import type { DecideApproval } from '../../../src-gateway/control/contract.js';

export type Decision = DecideApproval['decision'];

const DECIDED: Record<string, string> = {
  'allow-once': 'allowed once',
  'allow-session': 'allowed for the session',
  'allow-always': 'always allowed (a local rule was added)',
  deny: 'denied',
  timeout: 'timed out',
  withdrawn: 'withdrawn',
};

/** Where an answer came from, as a person would say it ("decided in the terminal"). */
const CHANNELS: Record<string, string> = {
  'control-api': 'another Airlock window or the CLI',
  terminal: 'the terminal',
  elicitation: 'the agent’s client',
};

/** "allowed once", "denied", … for any decision the gateway reports. */
export function decisionText(decision: string): string {
  return DECIDED[decision] ?? decision;
}

/** The note for an approval answered somewhere else: "echo on demo: denied, decided in the terminal". */
export function resolvedElsewhereText(what: string, decision: string, channel: string): string {
  if (channel === 'timeout' || decision === 'timeout') return `${what} timed out without an answer.`;
  if (channel === 'agent' || decision === 'withdrawn') return `${what} was withdrawn by the agent.`;
  return `${what}: ${decisionText(decision)}, decided in ${CHANNELS[channel] ?? channel}.`;
}
