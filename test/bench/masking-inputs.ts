// The three inputs the masking bench measures, each 64 KB, the same on every run.
import { generateDemoData } from '../../src-gateway/demo/customers.js';
import { pad, pick, seededRandom } from '../../src-gateway/demo/seeded-random.js';

export const INPUT_BYTES = 64 * 1024;

/** A text cut to `INPUT_BYTES` UTF-16 units at a line break, so no value is cut in two. */
function cut(text: string): string {
  return text.length <= INPUT_BYTES ? text : text.slice(0, text.lastIndexOf('\n', INPUT_BYTES));
}

/**
 * What the demo's customer tools return: customer and order records (names, emails, phones, birth
 * dates, cards, IBANs, notes in prose), as many as fit in 64 KB of indented JSON.
 */
export function customerRecords(): unknown[] {
  const { customers, orders } = generateDemoData(20240917, 400);
  const records: unknown[] = [...customers, ...orders];
  while (JSON.stringify(records, null, 2).length > INPUT_BYTES) records.splice(Math.floor(records.length * 0.95));
  return records;
}

/** Service logs: timestamps, request ids, paths, client addresses, and now and then a user's email. */
export function serviceLog(): string {
  const r = seededRandom(7);
  const lines: string[] = [];
  for (let i = 0, size = 0; size < INPUT_BYTES + 200; i++) {
    const at = `2024-05-${pad(1 + (i % 28), 2)}T${pad(i % 24, 2)}:${pad(i % 60, 2)}:${pad((i * 7) % 60, 2)}.${pad(i % 1000, 3)}Z`;
    const user = r() < 0.2 ? `user=${pick(r, ['ana.lopez', 'j.smith', 'wei.chen'])}@example.com` : `user=svc-batch`;
    const line =
      `${at} ${pick(r, ['INFO ', 'INFO ', 'WARN ', 'DEBUG'])} [worker-${i % 8}] req=${(i * 7919).toString(16)}-${pad(i, 5)} ` +
      `${pick(r, ['GET', 'POST'])} /api/v1/orders/ORD-2024-${pad(i, 6)} status=${pick(r, [200, 200, 201, 404, 500])} ` +
      `took=${Math.floor(r() * 300)}ms client=10.${i % 256}.${(i * 3) % 256}.${(i * 7) % 250 + 1} ${user} build=v2.14.${i % 9}`;
    lines.push(line);
    size += line.length + 1;
  }
  return cut(lines.join('\n'));
}

const WORDS = (
  'the team reviewed the quarterly plan and agreed that every release should ship with clear notes about what ' +
  'changed why it changed and how to roll it back while support gathers feedback from customers across regions ' +
  'so that engineering can prioritise the work that matters most before the next planning cycle begins in spring'
).split(' ');

/** Prose with nothing to find: the case every tool result that is just text pays for. */
export function plainProse(): string {
  const r = seededRandom(11);
  const sentences: string[] = [];
  for (let size = 0; size < INPUT_BYTES + 200; ) {
    const words = Array.from({ length: 8 + Math.floor(r() * 14) }, () => pick(r, WORDS));
    const sentence = words.join(' ').replace(/^./, (c) => c.toUpperCase()) + (r() < 0.15 ? '.\n' : '. ');
    sentences.push(sentence);
    size += sentence.length;
  }
  return cut(sentences.join(''));
}
