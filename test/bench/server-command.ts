// The one command that starts the upstream bench server. Every path uses it unchanged, whether the
// bench, a peer proxy or Airlock spawns it, so they all front the same process doing the same work.
import { fileURLToPath } from 'node:url';

/** The repository root; every child runs with it as its working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// tsx's loader by absolute URL, so the command means the same whatever directory a proxy spawns it from.
const TSX_LOADER = import.meta.resolve('tsx');

/** `node --import <tsx> <file>`: runs a TypeScript fixture with no build step. */
export function tsxCommand(file: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', TSX_LOADER, fileURLToPath(new URL(file, new URL('../fixtures/', import.meta.url)))] };
}

/** The stdio bench server (tools `tiny` and `blob_64k`). */
export const BENCH_SERVER = tsxCommand('bench-server.ts');

/** The same command as one string for tools that take a shell command line (supergateway --stdio). */
export function shellLine(command: { command: string; args: string[] }): string {
  return [command.command, ...command.args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
}
