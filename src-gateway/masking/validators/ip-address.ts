/** Whether `text` is a dotted-quad IPv4 address: four decimal octets 0–255 without leading zeros. */
export function isIpv4(text: string): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // a final "." closes the last octet
    if (code === 46) {
      if (digits === 0 || value > 255) return false;
      octets++;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits === 1 && value === 0) return false; // leading zero
      value = value * 10 + code - 48;
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return octets === 4;
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** Whether `text` is an IPv6 address in RFC 4291 text form, `::` compression and an IPv4 tail included. */
export function isIpv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false;
  let head = text;
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    if (lastColon < 0 || !isIpv4(text.slice(lastColon + 1))) return false;
    // The dotted tail stands for the last two groups.
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => HEX_GROUP.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}
