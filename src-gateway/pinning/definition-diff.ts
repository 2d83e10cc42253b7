/** Lines of unchanged context around each change, as `diff -u` shows. */
const CONTEXT = 3;

/**
 * Above this many line pairs the longest-common-subsequence table is not built and the differing
 * middle is shown as removed then added: a server must not be able to exhaust the gateway's memory
 * by sending a huge schema.
 */
const MAX_TABLE_CELLS = 1_000_000;

/**
 * Characters a terminal or browser would not show, or would use to reorder or hide text: controls,
 * zero-width and bidirectional marks, variation selectors and Unicode tags. Poisoned descriptions
 * use them to hide instructions from the person reviewing while the model still reads them.
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e0fff}]/gu;

type Edit = { mark: ' ' | '-' | '+'; line: string };

/**
 * A unified diff (`---`/`+++` labels, `@@` hunks) of two canonical tool definitions, each
 * pretty-printed so that a change to one property is a change to its own line.
 */
export function diffDefinitions(before: string, after: string, labels: { before: string; after: string }): string {
  const edits = editScript(prettyLines(before), prettyLines(after));
  return [`--- ${revealHidden(labels.before)}`, `+++ ${revealHidden(labels.after)}`, ...hunks(edits)].join('\n');
}

/** `text` with every hidden character written as a `\uXXXX` escape, so a person sees that it is there. */
export function revealHidden(text: string): string {
  return text.replace(HIDDEN, (char) =>
    Array.from({ length: char.length }, (_, unit) => '\\u' + char.charCodeAt(unit).toString(16).padStart(4, '0')).join(''),
  );
}

function prettyLines(definition: string): string[] {
  return JSON.stringify(JSON.parse(definition), null, 2).split('\n').map(revealHidden);
}

/** Common head and tail are matched first: a changed definition usually differs in a few lines. */
function editScript(a: string[], b: string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tailA = a.length;
  let tailB = b.length;
  while (tailA > head && tailB > head && a[tailA - 1] === b[tailB - 1]) {
    tailA--;
    tailB--;
  }
  const same = (line: string): Edit => ({ mark: ' ', line });
  return [...a.slice(0, head).map(same), ...middleScript(a.slice(head, tailA), b.slice(head, tailB)), ...a.slice(tailA).map(same)];
}

function middleScript(a: string[], b: string[]): Edit[] {
  const removed = a.map((line): Edit => ({ mark: '-', line }));
  const added = b.map((line): Edit => ({ mark: '+', line }));
  if (a.length * b.length > MAX_TABLE_CELLS) return [...removed, ...added];
  // common[i * width + j] is the length of the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j] ? common[(i + 1) * width + j + 1] + 1 : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      edits.push({ mark: ' ', line: a[i] });
      i++;
      j++;
    } else if (common[(i + 1) * width + j] >= common[i * width + j + 1]) {
      edits.push(removed[i++]);
    } else {
      edits.push(added[j++]);
    }
  }
  return [...edits, ...removed.slice(i), ...added.slice(j)];
}

/** Groups edits into hunks; changes at most twice the context apart share one. */
function hunks(edits: Edit[]): string[] {
  const starts: Array<{ a: number; b: number }> = [];
  let lineA = 1;
  let lineB = 1;
  for (const edit of edits) {
    starts.push({ a: lineA, b: lineB });
    if (edit.mark !== '+') lineA++;
    if (edit.mark !== '-') lineB++;
  }
  const out: string[] = [];
  let next = 0;
  while (next < edits.length) {
    if (edits[next].mark === ' ') {
      next++;
      continue;
    }
    const first = Math.max(0, next - CONTEXT);
    let last = next;
    for (let k = next; k < edits.length && k <= last + 2 * CONTEXT + 1; k++) if (edits[k].mark !== ' ') last = k;
    const end = Math.min(edits.length, last + CONTEXT + 1);
    const hunk = edits.slice(first, end);
    const countA = hunk.filter((edit) => edit.mark !== '+').length;
    const countB = hunk.filter((edit) => edit.mark !== '-').length;
    out.push(`@@ -${range(starts[first].a, countA)} +${range(starts[first].b, countB)} @@`);
    for (const edit of hunk) out.push(edit.mark + edit.line);
    next = end;
  }
  return out;
}

/** An empty side names the line before it, as `diff -u` does. */
function range(start: number, count: number): string {
  return `${count === 0 ? start - 1 : start},${count}`;
}
