import { z } from 'zod';
import { ApprovalDecisionSchema } from '../approvals/approval-types.js';

/**
 * The control API's routes, each declared once with its request schema. The CLI, and later the
 * tray window, code against these; handlers answer `{ok: true, data}` or `{ok: false, code, message}`.
 */
export const DecideApprovalSchema = z.strictObject({
  decision: ApprovalDecisionSchema,
  reason: z.string().max(1000).optional(),
});
export type DecideApproval = z.infer<typeof DecideApprovalSchema>;

export const PolicyCheckSchema = z.strictObject({
  server: z.string().min(1),
  method: z.string().min(1).default('tools/call'),
  tool: z.string().optional(),
  arguments: z.unknown().optional(),
  client: z.string().default('local'),
  groups: z.array(z.string()).default([]),
});
export type PolicyCheck = z.infer<typeof PolicyCheckSchema>;

/** A masking preview: a text or any JSON value, masked as it would be for this server and tool. */
export const MaskPreviewSchema = z
  .strictObject({
    text: z.string().max(4 * 1024 * 1024).optional(),
    value: z.unknown().optional(),
    server: z.string().default(''),
    tool: z.string().optional(),
    client: z.string().default('local'),
    groups: z.array(z.string()).default([]),
  })
  .refine((body) => (body.text === undefined) !== (body.value === undefined), { message: 'give exactly one of text and value' });
export type MaskPreview = z.infer<typeof MaskPreviewSchema>;

export const CONTROL_ROUTES = {
  listApprovals: { method: 'GET', path: '/control/approvals' },
  decideApproval: { method: 'POST', path: '/control/approvals/:id/decision', body: DecideApprovalSchema },
  policyStatus: { method: 'GET', path: '/control/policy' },
  checkPolicy: { method: 'POST', path: '/control/policy/check', body: PolicyCheckSchema },
  previewMasking: { method: 'POST', path: '/control/mask/preview', body: MaskPreviewSchema },
} as const;

export type ControlResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** The file, in the data dir, holding the control token of the running gateway (user-only). */
export const CONTROL_TOKEN_FILE = 'control-token';
