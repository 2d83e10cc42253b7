/** Shannon entropy of `text` in bits per character: about 4.5–6 for random keys, under 3 for words. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Whether `text` mixes at least `classes` of: lower-case letters, upper-case letters, digits. */
export function mixesCharacterClasses(text: string, classes: number): boolean {
  const lower = /[a-z]/.test(text) ? 1 : 0;
  const upper = /[A-Z]/.test(text) ? 1 : 0;
  const digit = /\d/.test(text) ? 1 : 0;
  return lower + upper + digit >= classes;
}
