/**
 * How a pasted input is sent for preview: an object or array as a JSON `value` (findings then carry
 * JSON pointers into it, as for a server's result), anything else as `text`.
 */
export function previewInput(input: string): { text: string } | { value: object } {
  const trimmed = input.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value === 'object' && value !== null) return { value };
    } catch {
      // Not JSON after all (a log line starting with "["): preview it as the text it is.
    }
  }
  return { text: input };
}
