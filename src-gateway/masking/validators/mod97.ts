/**
 * ISO 7064 mod 97-10 as IBANs use it: the first four characters move to the end, letters count as
 * 10..35, and the remainder of the resulting number must be 1. Computed digit by digit to stay exact.
 * `compact` is upper-case letters and digits only.
 */
export function passesMod97(compact: string): boolean {
  if (compact.length < 5) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + code - 48) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + code - 55) % 97;
    else return false;
  }
  return remainder === 1;
}
