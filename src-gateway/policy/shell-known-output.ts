import { decodeEscape } from './shell-escapes.js';
import type { ShellWord } from './shell-tokens.js';

/** The output of the few programs that obfuscated lines pipe into a shell, when it is known. */
export function knownOutput(name: string, rest: ShellWord[], input: string | undefined): string | undefined {
  if (rest.some((word) => word.dynamic)) return undefined;
  const args = rest.map((word) => word.text);
  switch (name) {
    case 'echo': {
      let at = 0;
      let escapes = false;
      while (at < args.length && /^-[neE]+$/.test(args[at])) escapes ||= args[at++].includes('e');
      const text = args.slice(at).join(' ');
      return `${escapes ? unescape(text) : text}\n`;
    }
    case 'printf':
      if (args.length === 0) return undefined;
      if (!args[0].includes('%')) return unescape(args[0]);
      if (/^%s\\?n?$/.test(args[0])) return args.slice(1).join('') + (args[0].endsWith('\\n') ? '\n' : '');
      return undefined;
    case 'cat':
      return args.length === 0 ? input : undefined;
    case 'rev':
      return input
        ?.split('\n')
        .map((line) => [...line].reverse().join(''))
        .join('\n');
    case 'base64':
    case 'base32':
      if (input === undefined || !args.some((arg) => /^(?:-[a-zA-Z]*[dD][a-zA-Z]*|--decode)$/.test(arg))) return undefined;
      return name === 'base64' ? Buffer.from(input.replace(/\s+/g, ''), 'base64').toString('latin1') : undefined;
    case 'xxd':
      if (input === undefined || !args.includes('-r') || !args.some((arg) => arg === '-p' || arg === '-ps')) return undefined;
      return Buffer.from(input.replace(/\s+/g, ''), 'hex').toString('latin1');
    default:
      return undefined;
  }
}

function unescape(text: string): string {
  let value = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') {
      value += text[i];
      continue;
    }
    const [decoded, length] = decodeEscape(text, i + 1);
    value += decoded;
    i += length;
  }
  return value;
}

