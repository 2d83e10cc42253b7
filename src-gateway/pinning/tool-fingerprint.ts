import { createHash } from 'node:crypto';

/** The part of a tool definition that a pin covers. */
export interface PinnableTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
}

/**
 * The pin of a tool: `definition` is canonical JSON (object keys sorted at every depth) of exactly
 * its name, description and input schema, `hash` its sha256 in hex. Those are what the model reads
 * to decide whether and how to call the tool, so they are what a rug pull rewrites. Title and
 * annotations are display hints for the client and outputSchema describes only the result; a server
 * may retune them without a person having to approve again.
 */
export function fingerprint(tool: PinnableTool): { hash: string; definition: string } {
  const definition = canonicalJson({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
  return { hash: createHash('sha256').update(definition).digest('hex'), definition };
}

/**
 * Builds the text directly rather than a sorted copy of the object, so a key such as `__proto__`
 * in a server's schema is hashed like any other key instead of changing a prototype.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
