import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../fuzz/fuzz-corpus.js';
import { startFuzzGateway, type FuzzGateway } from '../../fuzz/fuzz-gateway.js';
import { httpCase, HttpFrontTarget, type HttpCase } from '../../fuzz/http-front-target.js';
import { stdioCase, StdioFrontTarget, type StdioCase } from '../../fuzz/stdio-front-target.js';

/** Generated cases per front in `npm test`; `npm run fuzz` runs far more. */
const HTTP_RUNS = 300;
const STDIO_RUNS = 150;
/** Growth of the gateway's resident memory over the whole file that still counts as bounded. */
const RSS_GROWTH_LIMIT_MIB = 150;

describe('the fronts under malformed and adversarial input', () => {
  let fuzz: FuzzGateway;
  let http: HttpFrontTarget;
  let stdio: StdioFrontTarget;
  let rssAtStart: number;

  beforeAll(async () => {
    fuzz = await startFuzzGateway();
    http = new HttpFrontTarget(fuzz.gateway.url, fuzz.gateway.token);
    await http.setup();
    stdio = new StdioFrontTarget(fuzz.gateway.url, fuzz.gateway.token);
    await stdio.setup();
    rssAtStart = fuzz.memory().rssMiB;
  });

  afterAll(async () => {
    await stdio?.stop();
    await fuzz?.stop();
  });

  const alive = () => expect(fuzz.gateway.child.exitCode, fuzz.gateway.output().slice(-3000)).toBeNull();

  it('replays every HTTP case of the seed corpus: no crash, no 5xx, every stream ends', async () => {
    const corpus = readCorpus<HttpCase>('http-front');
    expect(corpus.length).toBeGreaterThan(0);
    for (const entry of corpus) {
      await expect(http.run(entry.case), entry.name).resolves.toBeUndefined();
      alive();
    }
  });

  it('replays every stdio case of the seed corpus: the bridge still relays after each', async () => {
    for (const entry of readCorpus<StdioCase>('stdio-front')) {
      await expect(stdio.run(entry.case), entry.name).resolves.toBeUndefined();
      alive();
    }
  });

  it(`answers ${HTTP_RUNS} generated HTTP cases without a crash, a 5xx or a stream left open`, async () => {
    await fc.assert(fc.asyncProperty(httpCase, async (fuzzCase) => {
      await http.run(fuzzCase);
      alive();
    }), { numRuns: HTTP_RUNS });
    console.log(`http front: ${HTTP_RUNS} cases, ${http.requests} requests, statuses ${JSON.stringify(Object.fromEntries(http.statuses))}`);
  }, 240_000);

  it(`relays after each of ${STDIO_RUNS} generated stdio cases`, async () => {
    await fc.assert(fc.asyncProperty(stdioCase, async (fuzzCase) => {
      await stdio.run(fuzzCase);
      alive();
      expect(stdio.child.exitCode).toBeNull();
    }), { numRuns: STDIO_RUNS });
    console.log(`stdio front: ${STDIO_RUNS} cases, ${stdio.lines} lines`);
  }, 240_000);

  it('still serves a real agent afterwards, logged no internal error, and kept its memory bounded', async () => {
    const client = await fuzz.gateway.connect('probe');
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'still here' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'still here' }]);
    const health = await fetch(new URL('/healthz', fuzz.gateway.url));
    expect(health.status).toBe(200);
    expect(fuzz.gateway.output()).not.toMatch(/Internal error|Maximum call stack|Uncaught|unhandled/i);
    const { rssMiB, peakMiB } = fuzz.memory();
    console.log(`gateway memory: ${rssAtStart} MiB before the fuzz cases, ${rssMiB} MiB after, peak ${peakMiB} MiB`);
    expect(rssMiB - rssAtStart).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
  });
});
