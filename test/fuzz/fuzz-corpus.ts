import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the cases that once broke something live, one JSON file each, per target. */
export const CORPUS_DIR = resolve(import.meta.dirname, '../fixtures/fuzz-corpus');

export type FuzzTargetName = 'http-front' | 'stdio-front' | 'policy' | 'masking';

/** One seed: what broke (and how it was fixed) and the case that broke it. */
export interface CorpusEntry<T> {
  name: string;
  found: string;
  case: T;
}

/** Every seed of a target, in name order, so a replay is the same on every machine. */
export function readCorpus<T>(target: FuzzTargetName): CorpusEntry<T>[] {
  const dir = join(CORPUS_DIR, target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const entry = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { found: string; case: T };
      return { name: file, found: entry.found, case: entry.case };
    });
}

/** Keeps a failing case as a new seed (named by its content, so the same failure is kept once); returns its path. */
export function saveToCorpus(target: FuzzTargetName, fuzzCase: unknown, error: unknown): string {
  const text = JSON.stringify(fuzzCase);
  const dir = join(CORPUS_DIR, target);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `found-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.json`);
  const found = `npm run fuzz, ${new Date().toISOString().slice(0, 10)}: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
  writeFileSync(path, `${JSON.stringify({ found, case: fuzzCase }, null, 2)}\n`);
  return path;
}
