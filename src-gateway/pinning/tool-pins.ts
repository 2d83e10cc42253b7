import type Database from 'better-sqlite3';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { diffDefinitions } from './definition-diff.js';
import { fingerprint } from './tool-fingerprint.js';

/** A tool hidden from tools/list and refused on tools/call until a person approves it. */
export interface HeldTool {
  server: string;
  tool: string;
  /** `changed`: its definition differs from the pin. `shadows`: first seen with another server's tool name. */
  reason: 'changed' | 'shadows';
  /** The server whose pinned tool it shadows. */
  shadows?: string;
  /** Unified diff from the pinned definition (or the shadowed tool's) to the one now offered. */
  diff?: string;
  since: number;
}

export type PinEventKind = 'pinned' | 'changed' | 'shadowing' | 'approved' | 'rejected';

export interface PinEvent {
  id: number;
  ts: number;
  server: string;
  tool: string;
  kind: PinEventKind;
  /** The hash for pinned, approved and rejected; the diff for changed and shadowing. */
  detail: string | null;
}

/** One row of `airlock pins list`. */
export interface PinSummary {
  server: string;
  tool: string;
  /** Null while a first-seen shadowing tool waits: it has never been pinned. */
  hash: string | null;
  pinnedAt: number | null;
  state: 'pinned' | 'held' | 'rejected';
  reason?: HeldTool['reason'];
  shadows?: string;
}

interface PinRow {
  server: string;
  tool: string;
  hash: string | null;
  definition: string | null;
  pinned_at: number | null;
  pending_hash: string | null;
  pending_definition: string | null;
  pending_reason: string | null;
  pending_since: number | null;
  rejected_at: number | null;
}

const SHADOWS = 'shadows:';

/**
 * Tool pinning, the defence against rug pulls: a tool's definition is pinned the first time it is
 * seen, and a later change to it, or a new tool named like another server's, is hidden and refused
 * until a person approves. The gateway and the CLI share the table, so an approval made with
 * `airlock pins approve` takes effect on the gateway's next tools/list or call.
 */
export class ToolPins {
  private readonly pinByKey;
  private readonly heldByKey;
  private readonly pinnedElsewhere;
  private readonly pin;
  private readonly hold;
  private readonly restore;
  private readonly approvePending;
  private readonly rejectPending;
  private readonly heldRows;
  private readonly allRows;
  private readonly insertEvent;
  private readonly recentEvents;
  private readonly reviewPage;
  private readonly heldListeners = new Set<(held: HeldTool) => void>();

  constructor(db: Database.Database, private readonly now: () => number = Date.now) {
    this.pinByKey = db.prepare('SELECT * FROM tool_pins WHERE server = ? AND tool = ?');
    this.heldByKey = db.prepare(
      'SELECT pending_reason, pending_since FROM tool_pins WHERE server = ? AND tool = ? AND pending_hash IS NOT NULL',
    );
    this.pinnedElsewhere = db.prepare(
      'SELECT server, definition FROM tool_pins WHERE tool = ? AND server <> ? AND hash IS NOT NULL ORDER BY pinned_at, server LIMIT 1',
    );
    this.pin = db.prepare(
      `INSERT INTO tool_pins (server, tool, hash, definition, pinned_at) VALUES (@server, @tool, @hash, @definition, @now)
       ON CONFLICT (server, tool) DO UPDATE SET hash = excluded.hash, definition = excluded.definition, pinned_at = excluded.pinned_at,
         pending_hash = NULL, pending_definition = NULL, pending_reason = NULL, pending_since = NULL, rejected_at = NULL`,
    );
    this.hold = db.prepare(
      `INSERT INTO tool_pins (server, tool, pending_hash, pending_definition, pending_reason, pending_since)
       VALUES (@server, @tool, @hash, @definition, @reason, @now)
       ON CONFLICT (server, tool) DO UPDATE SET pending_hash = excluded.pending_hash, pending_definition = excluded.pending_definition,
         pending_reason = excluded.pending_reason, pending_since = excluded.pending_since, rejected_at = NULL`,
    );
    this.restore = db.prepare(
      `UPDATE tool_pins SET pending_hash = NULL, pending_definition = NULL, pending_reason = NULL, pending_since = NULL, rejected_at = NULL
       WHERE server = ? AND tool = ?`,
    );
    this.approvePending = db.prepare(
      `UPDATE tool_pins SET hash = pending_hash, definition = pending_definition, pinned_at = ?,
         pending_hash = NULL, pending_definition = NULL, pending_reason = NULL, pending_since = NULL, rejected_at = NULL
       WHERE server = ? AND tool = ? AND pending_hash IS NOT NULL RETURNING hash`,
    );
    this.rejectPending = db.prepare(
      `UPDATE tool_pins SET rejected_at = ? WHERE server = ? AND tool = ? AND pending_hash IS NOT NULL AND rejected_at IS NULL
       RETURNING pending_hash`,
    );
    this.heldRows = db.prepare(
      'SELECT * FROM tool_pins WHERE pending_hash IS NOT NULL AND rejected_at IS NULL ORDER BY pending_since, server, tool',
    );
    this.allRows = db.prepare('SELECT * FROM tool_pins ORDER BY server, tool');
    this.insertEvent = db.prepare('INSERT INTO pin_events (ts, server, tool, kind, detail) VALUES (?, ?, ?, ?, ?)');
    this.recentEvents = db.prepare('SELECT id, ts, server, tool, kind, detail FROM pin_events ORDER BY id DESC LIMIT ?');
    // One transaction per page: its pins and events are committed together or not at all.
    this.reviewPage = db.transaction((server: string, tools: Tool[]) => {
      const visible: Tool[] = [];
      const held: HeldTool[] = [];
      const seen = new Set<string>();
      for (const tool of tools) {
        // A server listing one name twice could show the pinned definition and a poisoned one
        // beside it; the agent could not tell which a call reaches, so only the first is judged.
        if (seen.has(tool.name)) continue;
        seen.add(tool.name);
        const hold = this.judge(server, tool);
        if (hold) held.push(hold);
        else visible.push(tool);
      }
      return { visible, held };
    });
  }

  /**
   * Passes one page of a server's tools/list result through the pins: returns the tools the agent
   * may see, in their order, and those held back. Pins first-seen tools and records every change.
   */
  review(server: string, tools: Tool[]): { visible: Tool[]; held: HeldTool[] } {
    return this.reviewPage(server, tools);
  }

  /**
   * Whether a tools/call must be refused: the tool is held, or a person rejected the definition its
   * server offers. A tool never listed is not blocked, since agents may call without listing.
   */
  blocked(server: string, tool: string): HeldTool | undefined {
    const row = this.heldByKey.get(server, tool) as Pick<PinRow, 'pending_reason' | 'pending_since'> | undefined;
    return row && { server, tool, ...parseReason(row.pending_reason!), since: row.pending_since! };
  }

  /** Makes the held definition the pin, so the tool is visible and callable. False if nothing is held. */
  approve(server: string, tool: string): boolean {
    const row = this.approvePending.get(this.now(), server, tool) as { hash: string } | undefined;
    if (row) this.record(server, tool, 'approved', row.hash);
    return row !== undefined;
  }

  /**
   * Refuses the held definition: the old pin stays, and the tool stays hidden and blocked for as
   * long as its server offers that definition, without asking again. A different definition is
   * held anew; the pinned one makes it visible again. Approving later is still possible.
   */
  reject(server: string, tool: string): boolean {
    const row = this.rejectPending.get(this.now(), server, tool) as { pending_hash: string } | undefined;
    if (row) this.record(server, tool, 'rejected', row.pending_hash);
    return row !== undefined;
  }

  /** Tools waiting for a person, oldest first, each with its diff. */
  held(): HeldTool[] {
    return (this.heldRows.all() as PinRow[]).map((row) => {
      const reason = parseReason(row.pending_reason!);
      const pinnedServer = reason.shadows ?? row.server;
      const pinned = reason.reason === 'changed' ? row.definition : this.pinOf(pinnedServer, row.tool)?.definition;
      const diff = pinned ? definitionDiff(row.server, row.tool, pinnedServer, pinned, row.pending_definition!) : undefined;
      return { server: row.server, tool: row.tool, ...reason, diff, since: row.pending_since! };
    });
  }

  /** Every tool seen, by server and name, with its pin and state. */
  all(): PinSummary[] {
    return (this.allRows.all() as PinRow[]).map((row) => ({
      server: row.server,
      tool: row.tool,
      hash: row.hash,
      pinnedAt: row.pinned_at,
      state: row.pending_hash === null ? 'pinned' : row.rejected_at === null ? 'held' : 'rejected',
      ...(row.pending_reason === null ? {} : parseReason(row.pending_reason)),
    }));
  }

  /**
   * What `review` would make of each tool, read-only (a connection test must not pin what a person
   * is only looking at): `pinned` when its definition is the pin, `held` or `rejected` when it would
   * be held back, `new` when the next session would pin it.
   */
  preview(server: string, tools: Tool[]): Array<PinSummary['state'] | 'new'> {
    return tools.map((tool) => {
      const { hash } = fingerprint(tool);
      const row = this.pinOf(server, tool.name);
      if (row?.hash === hash) return 'pinned';
      if (row?.pending_hash === hash) return row.rejected_at === null ? 'held' : 'rejected';
      if (row?.hash) return 'held';
      return this.pinnedElsewhere.get(tool.name, server) ? 'held' : 'new';
    });
  }

  /** The most recent pin events, newest first. */
  events(limit = 100): PinEvent[] {
    return this.recentEvents.all(limit) as PinEvent[];
  }

  /** Decides one tool; returns why it is held, or undefined when the agent may see it. */
  private judge(server: string, tool: Tool): HeldTool | undefined {
    const { hash, definition } = fingerprint(tool);
    const row = this.pinOf(server, tool.name);
    const now = this.now();
    if (row?.hash === hash) {
      if (row.pending_hash !== null) this.restore.run(server, tool.name);
      return undefined;
    }
    // Already held with this very definition (waiting, or rejected): recorded when first seen.
    if (row?.pending_hash === hash) return { server, tool: tool.name, ...parseReason(row.pending_reason!), since: row.pending_since! };
    const pending = { server, tool: tool.name, hash, definition, now };
    if (row?.hash) {
      this.hold.run({ ...pending, reason: 'changed' });
      const diff = definitionDiff(server, tool.name, server, row.definition!, definition);
      this.record(server, tool.name, 'changed', diff);
      return this.announce({ server, tool: tool.name, reason: 'changed', diff, since: now });
    }
    const shadowed = this.pinnedElsewhere.get(tool.name, server) as { server: string; definition: string } | undefined;
    if (!shadowed) {
      this.pin.run(pending);
      this.record(server, tool.name, 'pinned', hash);
      return undefined;
    }
    this.hold.run({ ...pending, reason: SHADOWS + shadowed.server });
    const diff = definitionDiff(server, tool.name, shadowed.server, shadowed.definition, definition);
    this.record(server, tool.name, 'shadowing', diff);
    return this.announce({ server, tool: tool.name, reason: 'shadows', shadows: shadowed.server, diff, since: now });
  }

  /** Tells listeners (the tray window's live feed) about a tool held just now. Returns the unsubscribe. */
  onHeld(listener: (held: HeldTool) => void): () => void {
    this.heldListeners.add(listener);
    return () => this.heldListeners.delete(listener);
  }

  private announce(held: HeldTool): HeldTool {
    for (const listener of this.heldListeners) listener(held);
    return held;
  }

  private pinOf(server: string, tool: string): PinRow | undefined {
    return this.pinByKey.get(server, tool) as PinRow | undefined;
  }

  private record(server: string, tool: string, kind: PinEventKind, detail: string): void {
    this.insertEvent.run(this.now(), server, tool, kind, detail);
  }
}

function parseReason(reason: string): Pick<HeldTool, 'reason' | 'shadows'> {
  return reason.startsWith(SHADOWS) ? { reason: 'shadows', shadows: reason.slice(SHADOWS.length) } : { reason: 'changed' };
}

/** The pinned side names the server it was pinned for: another server's, when shadowing. */
function definitionDiff(server: string, tool: string, pinnedServer: string, pinned: string, offered: string): string {
  return diffDefinitions(pinned, offered, { before: `${pinnedServer}/${tool} (pinned)`, after: `${server}/${tool} (offered)` });
}
