import type Database from 'better-sqlite3';
import type { PendingApproval, Resolution } from './approval-types.js';

/** The approvals table: every held call and how it was resolved, by whom and through which channel. */
export class ApprovalRecords {
  private readonly insert;
  private readonly resolve;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO approvals (id, session_id, server, method, tool, client, arguments, rule_id, reason, created_at, expires_at)
       VALUES (@id, @sessionId, @server, @method, @tool, @client, @arguments, @ruleId, @reason, @createdAt, @expiresAt)`,
    );
    this.resolve = db.prepare(
      'UPDATE approvals SET decided_at = ?, decision = ?, channel = ?, decision_reason = ? WHERE id = ? AND decided_at IS NULL',
    );
  }

  held(approval: PendingApproval): void {
    this.insert.run({ tool: null, ruleId: null, ...approval, arguments: JSON.stringify(approval.arguments ?? null) });
  }

  resolved(id: string, resolution: Resolution, now: number): void {
    this.resolve.run(now, resolution.decision, resolution.channel, resolution.reason ?? null, id);
  }
}
