// `npm run bench:masking`: throughput and latency of the masking engine on three 64 KB inputs. Not a
// test: it prints figures and exits 1 if the target is missed.
import { formatMaskingBench, runMaskingBench } from './masking-run.js';

const result = await runMaskingBench();
process.stdout.write(formatMaskingBench(result));
if (!result.met) process.exitCode = 1;
