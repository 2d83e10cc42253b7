import { compileRegex } from './policy-patterns.js';
import type { ArgumentCondition } from './policy-schema.js';

/**
 * The JSON texts of argument values that one evaluation has needed, so that several conditions on
 * the same object stringify it once. Cleared after each evaluation: arguments are not ours to hold.
 */
export class JsonTexts {
  readonly #texts = new Map<object, string>();

  of(value: object): string {
    let text = this.#texts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      this.#texts.set(value, text);
    }
    return text;
  }

  clear(): void {
    if (this.#texts.size > 0) this.#texts.clear();
  }
}

/** A compiled argument condition: does it hold for these arguments? */
export type ArgumentTest = (args: unknown, texts: JsonTexts) => boolean;

interface PointerStep {
  key: string;
  /** The key as an array index, or -1 when it is not one (RFC 6901: `0` or no leading zero). */
  index: number;
}

/** Compiles one condition: the pointer is split once, the regex built once. */
export function compileArgumentCondition(condition: ArgumentCondition): ArgumentTest {
  const steps = parsePointer(condition.pointer);
  if (condition.regex !== undefined) {
    const regex = compileRegex(condition.regex);
    return (args, texts) => {
      const value = resolvePointer(args, steps);
      return value !== undefined && regex.test(textOf(value, texts));
    };
  }
  if (condition.contains !== undefined) {
    const needle = condition.contains;
    return (args, texts) => {
      const value = resolvePointer(args, steps);
      return value !== undefined && textOf(value, texts).includes(needle);
    };
  }
  const expected = condition.equals;
  if (expected === null || typeof expected !== 'object') return (args) => resolvePointer(args, steps) === expected;
  return (args) => {
    const value = resolvePointer(args, steps);
    return value !== undefined && jsonEquals(value, expected);
  };
}

function parsePointer(pointer: string): PointerStep[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      return { key, index: /^(?:0|[1-9][0-9]*)$/.test(key) && key.length < 16 ? Number(key) : -1 };
    });
}

/** The value at the pointer, or undefined when there is none. Only own properties count. */
function resolvePointer(root: unknown, steps: readonly PointerStep[]): unknown {
  let current = root;
  for (let i = 0; i < steps.length; i++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const step = steps[i];
    if (Array.isArray(current)) {
      if (step.index < 0 || step.index >= current.length) return undefined;
      current = current[step.index];
    } else {
      if (!Object.hasOwn(current, step.key)) return undefined;
      current = (current as Record<string, unknown>)[step.key];
    }
  }
  return current;
}

/** What a regex or contains condition sees: a string as is, a number or boolean as its string form, else JSON text. */
function textOf(value: unknown, texts: JsonTexts): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return texts.of(value as object);
}

/** Equality of JSON values: structural for objects and arrays, key order ignored. */
function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEquals(item, other[i]));
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && jsonEquals((a as Record<string, unknown>)[key], bRecord[key]));
}
