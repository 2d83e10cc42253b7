import { compileShellCondition, compileSqlCondition, UNCERTAIN, type ConditionResult, type ParseCache } from './command-conditions.js';
import { compileRegex } from './policy-patterns.js';
import type { ArgumentCondition } from './policy-schema.js';

/**
 * The JSON texts of argument values that one evaluation has needed, so that several conditions on
 * the same object stringify it once. Cleared after each evaluation: arguments are not ours to hold.
 */
export class JsonTexts implements ParseCache {
  readonly #texts = new Map<object, string>();
  readonly #parsed = new Map<string, unknown>();

  of(value: object): string {
    let text = this.#texts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      this.#texts.set(value, text);
    }
    return text;
  }

  /** A shell or SQL parse of a text, parsed once per evaluation. */
  parsed<T>(kind: string, text: string, parse: (text: string) => T): T {
    const key = `${kind}\n${text}`;
    if (this.#parsed.has(key)) return this.#parsed.get(key) as T;
    const result = parse(text);
    this.#parsed.set(key, result);
    return result;
  }

  clear(): void {
    if (this.#texts.size > 0) this.#texts.clear();
    if (this.#parsed.size > 0) this.#parsed.clear();
  }
}

/** A compiled argument condition: does it hold for these arguments, or is that uncertain (shell and sql only)? */
export type ArgumentTest = (args: unknown, texts: JsonTexts) => ConditionResult;

interface PointerStep {
  key: string;
  /** The key as an array index, or -1 when it is not one (RFC 6901: `0` or no leading zero). */
  index: number;
}

/** Compiles one condition: the pointer is split once, the regex built once. */
export function compileArgumentCondition(condition: ArgumentCondition): ArgumentTest {
  const steps = parsePointer(condition.pointer);
  const parsed = condition.shell ? compileShellCondition(condition.shell) : condition.sql ? compileSqlCondition(condition.sql) : undefined;
  if (parsed !== undefined) {
    return (args, texts) => {
      const value = resolvePointer(args, steps);
      return value !== undefined && parsed(value, texts);
    };
  }
  if (condition.regex !== undefined) {
    const regex = compileRegex(condition.regex);
    return (args, texts) => {
      const value = resolvePointer(args, steps);
      const text = value === undefined ? undefined : textOf(value, texts);
      return text === UNREADABLE ? UNCERTAIN : text !== undefined && regex.test(text);
    };
  }
  if (condition.contains !== undefined) {
    const needle = condition.contains;
    return (args, texts) => {
      const value = resolvePointer(args, steps);
      const text = value === undefined ? undefined : textOf(value, texts);
      return text === UNREADABLE ? UNCERTAIN : text !== undefined && text.includes(needle);
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

/** A value whose JSON text cannot be made: nested so deep that encoding it overflows the call stack. */
const UNREADABLE = Symbol('unreadable');

/** What a regex or contains condition sees: a string as is, a number or boolean as its string form, else JSON text. */
function textOf(value: unknown, texts: JsonTexts): string | typeof UNREADABLE {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  try {
    return texts.of(value as object);
  } catch (error) {
    if (error instanceof RangeError) return UNREADABLE;
    throw error;
  }
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
