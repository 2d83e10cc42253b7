/**
 * Deepest nesting of arrays and objects a JSON-RPC message may have. Real MCP traffic stays far
 * below it (tool schemas nest a dozen levels); far above it, encoding a message for the record
 * (`JSON.stringify`, recursive in V8) overflows the call stack at a few thousand levels, and one
 * such message must not take the gateway down with every other session.
 */
export const MAX_JSON_DEPTH = 128;

/** True when `value` nests arrays or objects deeper than `limit`; walks with its own stack, so any depth is safe to measure. */
export function nestsDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > limit) return true;
    for (const child of Array.isArray(item.value) ? item.value : Object.values(item.value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth });
    }
  }
  return false;
}
