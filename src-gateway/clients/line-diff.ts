/** Lines compared in full; past this the changed middle is shown as all removed then all added. */
const MAX_CELLS = 4_000_000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/**
 * A unified-style diff (`---`/`+++`, `@@` hunks with 3 lines of context) of two texts, or '' when
 * they are equal. Common head and tail are skipped first, so a small change to a large file is cheap.
 */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [
    ...a.slice(0, head).map((line): Op => ({ kind: ' ', line })),
    ...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })),
  ];
  return [`--- ${fromLabel}`, `+++ ${toLabel}`, ...hunks(ops)].join('\n') + '\n';
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Longest common subsequence of the changed middle. */
function middle(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i++] }), j++;
    else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push({ kind: '+', line: b[j++] });
    else ops.push({ kind: '-', line: a[i++] });
  }
  return ops;
}

function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k].kind === ' ') k++;
    if (k === ops.length) break;
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    // Extend while the next change is within two contexts of this one.
    for (let m = k; m < ops.length; m++) {
      if (ops[m].kind !== ' ') end = m;
      else if (m - end > 2 * CONTEXT) break;
    }
    const stop = Math.min(ops.length, end + 1 + CONTEXT);
    const slice = ops.slice(start, stop);
    const oldStart = ops.slice(0, start).filter((op) => op.kind !== '+').length + 1;
    const newStart = ops.slice(0, start).filter((op) => op.kind !== '-').length + 1;
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount ? oldStart : oldStart - 1},${oldCount} +${newCount ? newStart : newStart - 1},${newCount} @@`);
    out.push(...slice.map((op) => op.kind + op.line));
    k = stop;
  }
  return out;
}
