import type { ReactNode } from 'react';
import { maskedSpans } from './masked-replacements.js';
import './json-viewer.css';

/** Where a detector masked something, by JSON pointer (as the store records it; never the value). */
export interface JsonFinding {
  pointer: string;
  detector: string;
}

/** Deeper than the masker walks (64); past this the rest is shown as plain JSON text. */
const MAX_RENDER_DEPTH = 80;

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The object or array a string holds as JSON, as the masker reads it (it walks into such strings). */
function embeddedJson(text: string): object | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A string's text with each masked replacement in it highlighted. */
function highlightReplacements(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const [start, end] of maskedSpans(text)) {
    if (start > last) parts.push(escapeJsonText(text.slice(last, start)));
    parts.push(
      <mark key={start} className="masked-value" title="masked by Airlock">
        {escapeJsonText(text.slice(start, end))}
      </mark>,
    );
    last = end;
  }
  if (last < text.length) parts.push(escapeJsonText(text.slice(last)));
  return parts;
}

/** A string's characters as they appear inside JSON quotes. */
function escapeJsonText(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

interface RenderContext {
  findings: readonly JsonFinding[];
}

/** The detectors that masked this string: at its pointer, or inside it when it holds JSON. */
function detectorsAt(pointer: string, context: RenderContext): string[] {
  const inside = pointer + '/';
  const names = context.findings.filter((f) => f.pointer === pointer || f.pointer.startsWith(inside)).map((f) => f.detector);
  return [...new Set(names)];
}

function renderValue(value: unknown, pointer: string, indent: string, depth: number, context: RenderContext): ReactNode {
  if (depth > MAX_RENDER_DEPTH) return <span className="json-plain">{JSON.stringify(value)}</span>;
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  if (typeof value === 'string') return renderString(value, pointer, indent, depth, context);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    return (
      <>
        {'[\n'}
        {value.map((item, index) => (
          <span key={index}>
            {inner}
            {renderValue(item, `${pointer}/${index}`, inner, depth + 1, context)}
            {index < value.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {indent + ']'}
      </>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return (
      <>
        {'{\n'}
        {entries.map(([key, item], index) => (
          <span key={key}>
            {inner}
            <span className="json-key">{JSON.stringify(key)}</span>
            {': '}
            {renderValue(item, `${pointer}/${escapeSegment(key)}`, inner, depth + 1, context)}
            {index < entries.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {indent + '}'}
      </>
    );
  }
  return <span className="json-plain">{String(value)}</span>;
}

function renderString(text: string, pointer: string, indent: string, depth: number, context: RenderContext): ReactNode {
  const nested = embeddedJson(text);
  if (nested !== undefined) {
    // Shown parsed, as the masker walks it: pointers run on into it, so findings land on their value.
    return (
      <span className="json-embedded" title="a string holding JSON, shown parsed">
        <span className="json-embedded-tag">JSON text</span> {renderValue(nested, pointer, indent, depth + 1, context)}
      </span>
    );
  }
  const detectors = detectorsAt(pointer, context);
  const string = <span className="json-string">&quot;{highlightReplacements(text)}&quot;</span>;
  if (!detectors.length) return string;
  return (
    <mark className="json-finding" title={`masked by ${detectors.join(', ')}`}>
      {string}
      <span className="json-finding-tag">{detectors.join(', ')}</span>
    </mark>
  );
}

/**
 * A JSON value, pretty-printed and coloured, with masked replacements highlighted and the strings
 * where findings were recorded (by JSON pointer) marked with their detector's name. Rendered as React
 * elements: recorded content is never put into the page as HTML.
 */
export function JsonViewer({ value, findings = [], label }: { value: unknown; findings?: readonly JsonFinding[]; label: string }) {
  return (
    <pre className="json-viewer" aria-label={label} tabIndex={0}>
      <code>{renderValue(value, '', '', 0, { findings })}</code>
    </pre>
  );
}
