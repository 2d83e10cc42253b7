import type { ReactNode } from 'react';
import type { MaskFindingView } from '../../../src-gateway/control/contract.js';
import { textSpans } from './masked-spans.js';

/**
 * A plain text with each finding's span marked and labelled with its detector. Findings are
 * UTF-16 offsets into the text, as the masker reports them; overlapping ones (which the masker
 * resolves to one) are shown once.
 */
export function HighlightedText({ text, findings, label, replaced }: {
  text: string;
  findings: readonly MaskFindingView[];
  label: string;
  /** The spans are replacements in a masked text (drawn like masked values elsewhere), not findings. */
  replaced?: boolean;
}) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const finding of textSpans(findings)) {
    if (finding.start > last) parts.push(text.slice(last, finding.start));
    parts.push(
      // The detector's name is drawn by CSS (::after) so that copying the text copies only the text.
      <mark key={finding.start} className={replaced ? 'finding masked-value' : 'finding'} data-detector={finding.detector} title={`${finding.detector} → ${finding.replacement}`}>
        {text.slice(finding.start, finding.end)}
      </mark>,
    );
    last = finding.end;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <pre className="highlighted-text" aria-label={label} tabIndex={0}>
      {parts}
    </pre>
  );
}
