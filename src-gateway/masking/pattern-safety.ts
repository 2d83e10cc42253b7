/** What a group holds, as far as backtracking is concerned. */
interface GroupFrame {
  quantified: boolean;
  alternation: boolean;
}

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/;

/** The largest count a quantifier allows (Infinity for `*`, `+`, `{n,}`), or undefined if none starts at `i`. */
function quantifierAt(source: string, i: number): { max: number; length: number } | undefined {
  const match = QUANTIFIER.exec(source.slice(i, i + 24));
  if (match === null) return undefined;
  const [text, min, comma, max] = match;
  if (text === '?') return { max: 1, length: 1 };
  if (text === '*' || text === '+') return { max: Infinity, length: 1 };
  const upper = comma === undefined ? Number(min) : max === '' ? Infinity : Number(max);
  return { max: upper, length: text.length };
}

/**
 * Refuses a regex that can backtrack without bound: a group repeated more than once (`(…)*`,
 * `(…){2,5}`) that itself holds a quantifier or an alternation, as in `(a+)+` or `(a|a)*`. A group
 * made optional with `?` is fine. This is stricter than necessary (`(?:ab|cd)+` is safe but refused),
 * which is the right side to err on for patterns run over everything a server returns.
 * @throws SyntaxError naming the offending group.
 */
export function assertBoundedBacktracking(source: string): void {
  const stack: GroupFrame[] = [];
  const opened: number[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\') {
      i += 2;
    } else if (char === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (char === '(') {
      stack.push({ quantified: false, alternation: false });
      opened.push(i);
      i++;
      continue;
    } else if (char === '|') {
      const top = stack[stack.length - 1];
      if (top !== undefined) top.alternation = true;
      i++;
      continue;
    } else if (char === ')') {
      const frame = stack.pop();
      const start = opened.pop() ?? 0;
      i++;
      const quantifier = quantifierAt(source, i);
      if (frame !== undefined && quantifier !== undefined && quantifier.max > 1 && (frame.quantified || frame.alternation)) {
        throw new SyntaxError(
          `the group ${source.slice(start, i)} repeats a quantifier or an alternation, which can backtrack without bound; ` +
            'repeat a single character class instead',
        );
      }
      const parent = stack[stack.length - 1];
      if (parent !== undefined && frame !== undefined) {
        parent.quantified ||= frame.quantified || quantifier !== undefined;
        parent.alternation ||= frame.alternation;
      }
      if (quantifier !== undefined) i += quantifier.length + (source[i + quantifier.length] === '?' ? 1 : 0);
      continue;
    } else {
      i++;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier !== undefined) {
      const top = stack[stack.length - 1];
      if (top !== undefined) top.quantified = true;
      i += quantifier.length;
      if (source[i] === '?') i++; // lazy
    }
  }
}
