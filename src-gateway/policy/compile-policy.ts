import { compileArgumentCondition, JsonTexts, type ArgumentTest } from './argument-conditions.js';
import { SEEN_IN_UNREADABLE, UNCERTAIN, type ConditionResult } from './command-conditions.js';
import { compileGlobs, type StringTest } from './policy-patterns.js';
import type { Policy, Rule } from './policy-schema.js';

/** One call as the policy sees it. */
export interface CallDescription {
  server: string;
  /** The JSON-RPC method: `tools/call`, `resources/read`, `prompts/get`, … */
  method: string;
  /** The tool name of tools/call, the resource URI of resources/read, the prompt name of prompts/get. */
  tool?: string;
  arguments?: unknown;
  client: string;
  groups: readonly string[];
}

/** What the policy decided about a call. Verdicts are shared between calls and frozen. */
export interface Verdict {
  action: 'allow' | 'deny' | 'approve';
  /** The rule that decided; undefined when no rule matched and the policy's default decided. */
  rule?: Rule;
  /** Human-readable: the rule's reason, else a sentence naming the rule (or the default). */
  reason: string;
}

/** A policy made ready for evaluation: every glob and regex compiled once. */
export interface CompiledPolicy {
  readonly policy: Policy;
  /**
   * The verdict of the first rule that matches the call, else of the policy's default. A shell or sql
   * condition that cannot be read makes an allow rule not match and a deny or approve rule ask a
   * person (a later rule that denies outright still denies).
   */
  evaluate(call: CallDescription): Verdict;
  /** False when no arguments could make tools/call of this tool anything but denied, so tools/list can hide it. */
  mayCall(call: Omit<CallDescription, 'method' | 'arguments'>): boolean;
}

interface CompiledRule {
  server?: StringTest;
  method?: StringTest;
  tool?: StringTest;
  client?: StringTest;
  groups?: ReadonlySet<string>;
  conditions: readonly ArgumentTest[];
  verdict: Verdict;
  /** The verdict when a shell or sql condition could not be read: a person decides. */
  uncertainVerdict: Verdict;
}

const TOOLS_CALL = 'tools/call';

/** Compiles a validated policy. Evaluation allocates nothing unless a condition needs an object's JSON text. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const rules = policy.rules.map(compileRule);
  const defaultVerdict: Verdict = Object.freeze({
    action: policy.defaultAction,
    reason: `no rule matched; the policy's default is ${policy.defaultAction}`,
  });
  // evaluate is synchronous, so one cache serves every call in turn.
  const texts = new JsonTexts();

  return {
    policy,
    evaluate(call) {
      const { server, method, tool, client, groups } = call;
      // A deny rule that only may match (unreadable command) asks a person, unless a later rule denies outright.
      let unsure: Verdict | undefined;
      try {
        for (let i = 0; i < rules.length; i++) {
          const rule = rules[i];
          if (!matchesCall(rule, server, method, tool, client, groups)) continue;
          const held = conditionsHold(rule.conditions, call.arguments, texts);
          if (held === false) continue;
          const action = rule.verdict.action;
          if (held === true) return action === 'allow' && unsure ? unsure : rule.verdict;
          // A matching command seen in partly unreadable text: deny and approve rules apply as written.
          if (held === SEEN_IN_UNREADABLE && action !== 'allow') return rule.verdict;
          // Uncertain: never allow on it, never deny for want of reading it.
          if (action === 'approve') return rule.uncertainVerdict;
          if (action === 'deny') unsure ??= rule.uncertainVerdict;
        }
        return unsure && defaultVerdict.action === 'allow' ? unsure : defaultVerdict;
      } finally {
        texts.clear();
      }
    },
    mayCall({ server, tool, client, groups }) {
      for (const rule of rules) {
        if (!matchesCall(rule, server, TOOLS_CALL, tool, client, groups)) continue;
        const action = rule.verdict.action;
        if (rule.conditions.length === 0) return action !== 'deny';
        // Some arguments may get past a conditional deny, and some may satisfy a conditional allow.
        if (action !== 'deny') return true;
      }
      return policy.defaultAction !== 'deny';
    },
  };
}

function compileRule(rule: Rule): CompiledRule {
  const match = rule.match ?? {};
  const method = match.method ?? (match.tool === undefined ? undefined : TOOLS_CALL);
  return {
    server: match.server === undefined ? undefined : compileGlobs(match.server),
    method: method === undefined ? undefined : compileGlobs(method),
    tool: match.tool === undefined ? undefined : compileGlobs(match.tool),
    client: match.client === undefined ? undefined : compileGlobs(match.client),
    groups: match.group === undefined ? undefined : new Set(typeof match.group === 'string' ? [match.group] : match.group),
    conditions: (match.arguments ?? []).map(compileArgumentCondition),
    verdict: Object.freeze({ action: rule.action, rule, reason: rule.reason ?? defaultReason(rule) }),
    uncertainVerdict: Object.freeze({
      action: 'approve',
      rule,
      reason: `Airlock could not read this command with confidence, and rule ${rule.id} may apply${rule.reason ? ` (${rule.reason})` : ''}; a human decides`,
    }),
  };
}

function defaultReason(rule: Rule): string {
  if (rule.action === 'deny') return `denied by policy rule ${rule.id}`;
  if (rule.action === 'approve') return `policy rule ${rule.id} asks a human to approve this call`;
  return `allowed by policy rule ${rule.id}`;
}

/** Whether the rule's conditions other than the arguments hold. */
function matchesCall(rule: CompiledRule, server: string, method: string, tool: string | undefined, client: string, groups: readonly string[]): boolean {
  if (rule.server !== undefined && !rule.server(server)) return false;
  if (rule.method !== undefined && !rule.method(method)) return false;
  if (rule.tool !== undefined && (tool === undefined || !rule.tool(tool))) return false;
  if (rule.client !== undefined && !rule.client(client)) return false;
  if (rule.groups !== undefined && !inAnyGroup(rule.groups, groups)) return false;
  return true;
}

function inAnyGroup(wanted: ReadonlySet<string>, groups: readonly string[]): boolean {
  for (let i = 0; i < groups.length; i++) if (wanted.has(groups[i])) return true;
  return false;
}

/** False if any condition fails; else uncertain if any is; else seen-in-unreadable if any is; else true. */
function conditionsHold(conditions: readonly ArgumentTest[], args: unknown, texts: JsonTexts): ConditionResult {
  let result: ConditionResult = true;
  for (let i = 0; i < conditions.length; i++) {
    const held = conditions[i](args, texts);
    if (held === false) return false;
    if (held === UNCERTAIN) result = UNCERTAIN;
    else if (held === SEEN_IN_UNREADABLE && result === true) result = SEEN_IN_UNREADABLE;
  }
  return result;
}
