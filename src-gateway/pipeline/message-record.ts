import type { Finding } from '../masking/mask-types.js';
import type { MaskEvent, MessageRecord, Outcome } from '../store/message-log.js';
import type { PipelineContext } from './pipeline-types.js';

/** The policy's verdict on a message, as recorded next to it. */
export interface RecordedVerdict {
  decision: string;
  ruleId?: string;
}

/**
 * The store's record of one message as the pipeline let it through (or stopped it): what was
 * decided, what masking found (never the values) and, when the policy keeps it, the sealed original.
 */
export function messageRecord(ctx: PipelineContext, ts: number, body: string, outcome: Outcome, verdict?: RecordedVerdict): MessageRecord {
  return {
    sessionId: ctx.session.id,
    ts,
    direction: ctx.direction,
    kind: ctx.call.kind,
    rpcId: ctx.call.rpcId,
    method: ctx.call.method,
    tool: ctx.call.tool,
    size: Buffer.byteLength(body),
    durationMs: ctx.call.requestStartedAt === undefined ? undefined : ts - ctx.call.requestStartedAt,
    outcome,
    decision: verdict?.decision,
    ruleId: verdict?.ruleId,
    body,
    maskEvents: ctx.findings && summarize(ctx.findings),
    originalSealed: ctx.findings && ctx.original ? ctx.services.sealOriginal(JSON.stringify(ctx.original)) : undefined,
  };
}

/** Findings per detector, as recorded: how many and where, never the values. */
function summarize(findings: readonly Finding[]): MaskEvent[] {
  const byDetector = new Map<string, string[]>();
  for (const finding of findings) {
    const pointers = byDetector.get(finding.detector) ?? [];
    pointers.push(finding.pointer);
    byDetector.set(finding.detector, pointers);
  }
  return [...byDetector].map(([detector, pointers]) => ({ detector, count: pointers.length, pointers }));
}
