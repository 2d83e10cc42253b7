import type { Finding } from './mask-types.js';
import type { Leaf } from './mask-leaves.js';

/**
 * Deepest nesting walked, counting JSON inside strings. A deeper subtree is replaced whole by
 * `TOO_DEEP_MARKER` (failing closed: what was not scanned does not pass), with a finding of the
 * pseudo-detector `too-deep`. Results nested this deep are attacks, not data.
 */
export const MAX_DEPTH = 64;
export const TOO_DEEP_MARKER = `[TOO_DEEP: nested more than ${MAX_DEPTH} levels, not scanned]`;
/** Longest string parsed as JSON; a longer one is scanned as text, which the detectors also handle. */
const MAX_JSON_TEXT = 1 << 20;

type Container = Record<string, unknown> | unknown[];

/** A JSON pointer kept as a chain, joined into a string only for the few leaves that have findings. */
interface Path {
  readonly parent: Path | string;
  readonly segment: string;
  /** The joined pointer, once built; siblings share their parent's. */
  joined?: string;
}

/** A string leaf; its pointer is built when first asked for. */
class WalkLeaf implements Leaf {
  constructor(
    readonly text: string,
    readonly key: string | undefined,
    private readonly path: Path | string,
  ) {}

  get pointer(): string {
    return pointerOf(this.path);
  }
}

/** A string that held JSON: its parsed value is masked in place, then written back as JSON if anything changed. */
interface JsonText {
  container: Container;
  key: string | number;
  holder: { value: unknown };
  indent: string;
  /** The JSON text this one sits in, or -1. */
  owner: number;
  changed: boolean;
}

interface Frame {
  value: unknown;
  path: Path | string;
  depth: number;
  key: string | undefined;
  /** Where the value (or its copy) goes. */
  container: Container;
  slot: string | number;
  /** The JSON text the value was parsed from, or -1. */
  owner: number;
}

/**
 * Copies JSON values while collecting their string leaves, so that all the leaves of a result can be
 * masked in one scan and written back. The walk keeps its own stack, so no nesting overflows the call
 * stack; JSON inside a string is parsed and walked as JSON, with pointers that run on into it
 * (`/content/0/text/customers/0/email`). What the caller passed is never modified; what was parsed
 * here is masked in place.
 */
export class LeafCollector {
  readonly leaves: Leaf[] = [];
  /** Findings for subtrees replaced without scanning (too deep). */
  readonly unscanned: Finding[] = [];
  readonly #containers: Container[] = [];
  readonly #slots: (string | number)[] = [];
  readonly #owners: number[] = [];
  readonly #jsonTexts: JsonText[] = [];

  /** Walks `value`, whose copy goes to `container[slot]`; string leaves are written there by `apply`. */
  add(value: unknown, pointer: string, container: Container, slot: string | number, key?: string): void {
    const stack: Frame[] = [{ value, path: pointer, depth: 0, key, container, slot, owner: -1 }];
    for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
      const v = frame.value;
      if (typeof v === 'string') {
        this.#string(v, frame, stack);
      } else if (Array.isArray(v)) {
        if (this.#tooDeep(frame)) continue;
        // Parsed here: masked in place. The caller's: copied, so that it is left as it was.
        const array = frame.owner >= 0 ? v : [...v];
        put(frame.container, frame.slot, array);
        // Pushed in reverse so that leaves are collected in document order, which numbers tokens in reading order.
        for (let i = v.length - 1; i >= 0; i--) {
          const child = v[i];
          if (typeof child === 'object' || typeof child === 'string') {
            stack.push({ value: child, path: { parent: frame.path, segment: String(i) }, depth: frame.depth + 1, key: undefined, container: array, slot: i, owner: frame.owner });
          }
        }
      } else if (isPlainObject(v)) {
        if (this.#tooDeep(frame)) continue;
        const object = frame.owner >= 0 ? v : copyObject(v);
        put(frame.container, frame.slot, object);
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i];
          const child = v[key];
          if ((typeof child === 'object' || typeof child === 'string') && !isBinary(v, key)) {
            stack.push({ value: child, path: { parent: frame.path, segment: key }, depth: frame.depth + 1, key, container: object, slot: key, owner: frame.owner });
          }
        }
      } else {
        put(frame.container, frame.slot, v);
      }
    }
  }

  /** Writes the masked leaves into the copies, and re-serialises the JSON texts that changed. */
  apply(masked: readonly string[]): void {
    for (let i = 0; i < masked.length; i++) {
      if (masked[i] === this.leaves[i].text) continue;
      put(this.#containers[i], this.#slots[i], masked[i]);
      this.#markChanged(this.#owners[i]);
    }
    for (let i = this.#jsonTexts.length - 1; i >= 0; i--) {
      const json = this.#jsonTexts[i];
      if (!json.changed) continue;
      put(json.container, json.key, JSON.stringify(json.holder.value, null, json.indent));
      this.#markChanged(json.owner);
    }
  }

  #markChanged(owner: number): void {
    if (owner >= 0) this.#jsonTexts[owner].changed = true;
  }

  #tooDeep(frame: Frame): boolean {
    if (frame.depth < MAX_DEPTH) return false;
    put(frame.container, frame.slot, TOO_DEEP_MARKER);
    this.#markChanged(frame.owner);
    this.unscanned.push({ detector: 'too-deep', pointer: pointerOf(frame.path), start: 0, end: 0, replacement: TOO_DEEP_MARKER });
    return true;
  }

  #string(text: string, frame: Frame, stack: Frame[]): void {
    put(frame.container, frame.slot, text);
    const parsed = frame.depth < MAX_DEPTH ? parseJsonText(text) : undefined;
    if (parsed !== undefined) {
      const holder: { value: unknown } = { value: parsed };
      this.#jsonTexts.push({ container: frame.container, key: frame.slot, holder, indent: indentOf(text), owner: frame.owner, changed: false });
      const owner = this.#jsonTexts.length - 1;
      stack.push({ value: parsed, path: frame.path, depth: frame.depth + 1, key: undefined, container: holder, slot: 'value', owner });
      return;
    }
    this.leaves.push(new WalkLeaf(text, frame.key, frame.path));
    this.#containers.push(frame.container);
    this.#slots.push(frame.slot);
    this.#owners.push(frame.owner);
  }
}

function pointerOf(path: Path | string): string {
  if (typeof path === 'string') return path;
  path.joined ??= `${pointerOf(path.parent)}/${escapePointer(path.segment)}`;
  return path.joined;
}

/** The object or array a string holds as JSON, or undefined; only texts that open with `{` or `[` are tried. */
function parseJsonText(text: string): object | undefined {
  if (text.length < 2 || text.length > MAX_JSON_TEXT) return undefined;
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 9)) i++;
  const first = text.charCodeAt(i);
  if (first !== 123 && first !== 91) return undefined; // { [
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The indentation a JSON text was written with, so a re-serialised one reads the same. */
function indentOf(text: string): string {
  return /^\s*[[{]\r?\n([ \t]+)/.exec(text)?.[1] ?? '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function copyObject(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) put(copy, key, object[key]);
  return copy;
}

/** Base64 of MCP binary content: `data` of an image or audio block, `blob` of resource contents. */
function isBinary(object: Record<string, unknown>, key: string): boolean {
  if (key === 'data') return object.type === 'image' || object.type === 'audio';
  return key === 'blob' && typeof object.uri === 'string';
}

/** Sets a property as data, so that a key named `__proto__` stays a key and never becomes a prototype. */
function put(container: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (container as Record<string | number, unknown>)[key] = value;
  }
}

/** RFC 6901: `~` and `/` in a key become `~0` and `~1`. */
function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/** The key a pointer ends in (unescaped), or undefined for the root. */
export function lastPointerKey(pointer: string): string | undefined {
  const slash = pointer.lastIndexOf('/');
  if (slash < 0) return undefined;
  return pointer.slice(slash + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}
