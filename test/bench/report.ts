// Prints the results as markdown and writes them as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FIGURES, type Comparison, type FigureName, type Figures, type PathRun, type TargetCheck } from './summarize.js';
import type { PathName } from './paths.js';

/** Everything one run produced; this is also the JSON file's shape. */
export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  environment: Record<string, string | number>;
  settings: Record<string, unknown>;
  upstreamCommand: string;
  runs: PathRun[];
  figures: Partial<Record<PathName, Figures>>;
  comparison: Comparison;
  targets: TargetCheck[];
}

function formatFigure(name: FigureName, value: number | undefined): string {
  if (value === undefined) return 'n/a';
  if (name === 'callsPerSecond' || name.startsWith('cpu')) return Math.round(value).toLocaleString('en-US');
  if (name === 'peakRssMiB') return value.toFixed(1);
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 3);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The markdown tables: figures per path with the best peer and Airlock's ratio, then the targets. */
export function renderMarkdown(report: BenchReport): string {
  const paths = report.runs.filter((run) => report.figures[run.name]).map((run) => run.name);
  const s = report.settings;
  const lines = [
    `## Airlock gateway benchmark, ${report.startedAt}`,
    '',
    `${s.rounds} round(s); per path and round: ${s.tiny} sequential \`tiny\`, ${s.blob} sequential \`blob_64k\`, ` +
      `${s.concurrent} \`tiny\` with ${s.inFlight} in flight. Figures are medians over rounds; CPU and RSS are the ` +
      `process in the middle only (n/a: there is none). Node ${report.environment.node}, ${report.environment.cpus} CPU(s), ` +
      `load ${report.environment.loadStart} → ${report.environment.loadEnd}, ${report.durationSeconds} s.`,
    '',
    row(['figure', ...paths, 'best peer', 'airlock ÷ best peer']),
    row(['---', ...paths.map(() => '---:'), '---:', '---:']),
  ];
  for (const [name, { label }] of Object.entries(FIGURES) as [FigureName, (typeof FIGURES)[FigureName]][]) {
    const best = report.comparison.bestPeer[name];
    const ratio = report.comparison.airlockRatio[name];
    lines.push(row([
      label,
      ...paths.map((path) => formatFigure(name, report.figures[path]?.[name])),
      best ? `${formatFigure(name, best.value)} (${best.path})` : 'n/a',
      ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`,
    ]));
  }
  lines.push('', 'Ratios below 1× favour Airlock on every row except calls/s, where above 1× does.');
  lines.push('', '### Targets (airlock, recording on)', '', row(['target', 'airlock', 'limit', 'met']), row(['---', '---:', '---:', '---']));
  for (const target of report.targets) {
    const value = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(Math.abs(v) >= 10 ? 1 : 3));
    lines.push(row([target.target, value(target.airlock), value(target.limit), target.met === undefined ? 'not evaluated' : target.met ? 'yes' : '**no**']));
  }
  const bare = report.figures['airlock-no-policy'];
  const ruled = report.figures['airlock-200-rules'];
  if (bare && ruled) {
    const added = (a?: number, b?: number, scale = 1) => (a === undefined || b === undefined ? 'n/a' : `${((b - a) * scale).toFixed(1)} µs`);
    lines.push('', '### Policy cost (airlock with a 200-rule policy − airlock with no rules, same run)', '',
      row(['figure', 'added']), row(['---', '---:']),
      row(['tiny p50 (target ≤ 10 µs)', added(bare.tinyP50Ms, ruled.tinyP50Ms, 1000)]),
      row(['CPU per tiny call', added(bare.cpuTinyUs, ruled.cpuTinyUs)]),
      '', 'Both are within run-to-run noise when small; `npm run bench:policy` times the evaluation alone.');
  }
  const unmasked = report.figures['airlock-no-masking'];
  if (bare && unmasked) {
    const ratio = (on?: number, off?: number) => (on === undefined || off === undefined || off === 0 ? 'n/a' : `${(on / off).toFixed(2)}×`);
    lines.push('', '### Masking cost (airlock with masking on ÷ off, no policy rules either way, same run)', '',
      row(['figure', 'masking on', 'masking off', 'on ÷ off']), row(['---', '---:', '---:', '---:']),
      row(['64 KB p50 (ms)', formatFigure('blobP50Ms', bare.blobP50Ms), formatFigure('blobP50Ms', unmasked.blobP50Ms), ratio(bare.blobP50Ms, unmasked.blobP50Ms)]),
      row(['tiny p50 (ms)', formatFigure('tinyP50Ms', bare.tinyP50Ms), formatFigure('tinyP50Ms', unmasked.tinyP50Ms), ratio(bare.tinyP50Ms, unmasked.tinyP50Ms)]),
      row(['CPU per 64 KB call (µs)', formatFigure('cpuBlobUs', bare.cpuBlobUs), formatFigure('cpuBlobUs', unmasked.cpuBlobUs), ratio(bare.cpuBlobUs, unmasked.cpuBlobUs)]));
  }
  const notes: string[] = [];
  for (const run of report.runs) {
    if (run.error) notes.push(`- **${run.name}** failed: ${run.error.split('\n')[0]}`);
    if (run.resultProblem) notes.push(`- **${run.name}** returned altered results: ${run.resultProblem}`);
    for (const round of run.rounds) {
      for (const [phase, result] of Object.entries({ tiny: round.tiny, blob: round.blob, concurrent: round.concurrent })) {
        if (result.errors > 0 || result.truncated) {
          notes.push(`- ${run.name}, round ${round.round}, ${phase}: ${result.errors} error(s)${result.truncated ? ', stopped early' : ''}` +
            `${result.firstError ? ` (first: ${result.firstError})` : ''}`);
        }
      }
    }
  }
  lines.push('', '### Paths', '', `Upstream server, the same command on every path: \`${report.upstreamCommand}\``, '');
  for (const run of report.runs) {
    const connect = run.firstConnectMs === undefined ? '' : `; first session ready after ${Math.round(run.firstConnectMs)} ms`;
    lines.push(`- **${run.name}**: ${run.describe}${connect}`);
  }
  if (notes.length > 0) lines.push('', '### Problems', '', ...notes);
  return `${lines.join('\n')}\n`;
}

/** Writes the report as JSON to `file`, creating its directory. */
export function writeJson(report: BenchReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
