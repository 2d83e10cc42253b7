/** Values a vault remembers; past this, new values still get fresh tokens but are not remembered. */
const MAX_REMEMBERED = 100_000;

/**
 * Session-stable tokens for the `token` style: the first email a session sees becomes `<email_1>`,
 * the same address is `<email_1>` every time after, the next one `<email_2>`. One vault per session.
 * It holds the values in memory only, and at most 100,000 of them, so a hostile server cannot grow it
 * without bound.
 */
export class TokenVault {
  readonly #tokens = new Map<string, string>();
  readonly #counts = new Map<string, number>();

  /**
   * The token for `value` as found by `detector`. Tokens are named after the detector; `label` names
   * them instead when the detector's name is not a single token-safe word.
   */
  tokenFor(detector: string, label: string, value: string): string {
    const key = `${detector}\u0000${value}`;
    const known = this.#tokens.get(key);
    if (known !== undefined) return known;
    const stem = /^[A-Za-z0-9][\w-]*$/.test(detector) ? detector : label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const count = (this.#counts.get(stem) ?? 0) + 1;
    this.#counts.set(stem, count);
    const token = `<${stem}_${count}>`;
    if (this.#tokens.size < MAX_REMEMBERED) this.#tokens.set(key, token);
    return token;
  }
}
