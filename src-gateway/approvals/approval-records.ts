import type Database from 'better-sqlite3';
import type { PendingApproval, Resolution } from './approval-types.js';

/** The approvals table: every held call, what it was bound to, and how it was resolved, by whom and through which channel. */
export class ApprovalRecords {
  private readonly insert;
  private readonly resolve;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO approvals (id, session_id, server, method, tool, client, arguments, rule_id, reason, binding, created_at, expires_at)
       VALUES (@id, @sessionId, @server, @method, @tool, @client, @arguments, @ruleId, @reason, @binding, @createdAt, @expiresAt)`,
    );
    this.resolve = db.prepare(
      'UPDATE approvals SET decided_at = ?, decision = ?, channel = ?, decision_reason = ?, decided_by = ? WHERE id = ? AND decided_at IS NULL',
    );
  }

  held(approval: PendingApproval): void {
    this.insert.run({ tool: null, ruleId: null, ...approval, arguments: JSON.stringify(approval.arguments ?? null) });
  }

  resolved(id: string, resolution: Resolution, now: number): void {
    const changed = this.resolve.run(now, resolution.decision, resolution.channel, resolution.reason ?? null, resolution.decidedBy ?? null, id).changes;
    // A resolution that did not land in the record must not count as decided.
    if (changed !== 1) throw new Error(`approval ${id} has no open record to resolve`);
  }
}
