import fc from 'fast-check';

/**
 * Adversarial JSON-RPC for the gateway's fronts: messages that are almost right (a wrong type in one
 * field, an id no one expects, prototype keys, odd numbers), batches, deep nesting, and bytes that
 * are not JSON at all. Tools with side effects on the probe server (`slow`, `crash`) are left out of
 * the names on purpose: the fuzz policy denies them anyway, and a fuzz case must not kill its upstream.
 */

const METHODS = [
  'initialize', 'notifications/initialized', 'ping', 'tools/list', 'tools/call', 'resources/list', 'resources/read',
  'resources/templates/list', 'resources/subscribe', 'prompts/list', 'prompts/get', 'completion/complete', 'logging/setLevel',
  'notifications/cancelled', 'notifications/progress', 'notifications/roots/list_changed', 'sampling/createMessage',
  'elicitation/create', 'roots/list', '__proto__', 'constructor', 'tools/call\u0000', 'TOOLS/CALL', '', 'rpc.discover',
];
const TOOL_NAMES = ['echo', 'whoami', 'progress', 'notify_changed', 'filler_1', 'nope', '', '__proto__', 'toString', 'echo\u0000', '../echo', 'ec*o'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Any string, including lone surrogates and control characters. */
export const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(...PROTO_KEYS, '\ud800', '\u0000', '\u2028', 'a'.repeat(1000)));

/** Numbers JSON can carry that code often forgets: -0, huge, fractional, beyond 2^53. */
const oddNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 1e308, -1e308, 2 ** 53 + 1, 0.1, -1, 4294967296));

/** JSON values with prototype keys and odd numbers among ordinary ones. */
export const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString, oddNumber, fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(anyString, fc.constantFrom(...PROTO_KEYS)), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Text of a value nested `depth` levels deep, as an attacker would send to exhaust a recursive walk. */
export function nestedText(depth: number, open = '[', close = ']', leaf = ''): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}
/** Mostly around the gateway's depth limit (128), sometimes far past what a recursive walk survives. */
const depth = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 160 }) }, { weight: 1, arbitrary: fc.integer({ min: 160, max: 8000 }) });
const deepValue = fc.tuple(depth, fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([depth, [open, close]]) => JSON.parse(nestedText(depth, open, close, open === '[' ? '' : '1')) as unknown);

const id = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, -0, -1, 1.5, 1e308, 2 ** 53 + 1, true, '', '__proto__', {}, [], [1], { a: 1 }) },
);

const params = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOOL_NAMES) }, { weight: 1, arbitrary: jsonish }),
    arguments: fc.oneof({ weight: 3, arbitrary: jsonish }, { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('text', 'command', 'sql', 'query', 'path', ...PROTO_KEYS), jsonish) }, { weight: 1, arbitrary: deepValue }),
    // Mostly well-formed, so that most messages pass the schema at the door and reach the pipeline.
    _meta: fc.oneof({ weight: 4, arbitrary: fc.record({ progressToken: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: [] }) }, { weight: 1, arbitrary: fc.record({ progressToken: fc.oneof(id, jsonish) }, { requiredKeys: [] }) }, { weight: 1, arbitrary: jsonish }),
    requestId: id,
    cursor: fc.oneof(anyString, jsonish),
    uri: fc.oneof(fc.constantFrom('file:///etc/passwd', 'http://169.254.169.254/', 'x:'), anyString),
    protocolVersion: fc.oneof(fc.constantFrom('2025-06-18', '2025-03-26', '2024-11-05', '2025-11-25', '9999-99-99'), anyString, jsonish),
    capabilities: fc.oneof(fc.record({ elicitation: jsonish, sampling: jsonish, roots: jsonish }, { requiredKeys: [] }), jsonish),
    clientInfo: fc.oneof(fc.record({ name: anyString, version: anyString }), jsonish),
    level: fc.oneof(fc.constantFrom('debug', 'emergency'), anyString),
    progress: oddNumber,
  }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: jsonish },
  { weight: 1, arbitrary: deepValue.map((value) => ({ deep: value })) },
);

/** One JSON-RPC-shaped message: request, notification, response or error, usually well-formed, often not quite. */
export const jsonRpcMessage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id, method: fc.constantFrom(...METHODS), params }, { requiredKeys: ['jsonrpc', 'method'] }) },
  { weight: 2, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id, result: fc.oneof({ weight: 4, arbitrary: jsonish }, { weight: 1, arbitrary: deepValue.map((deep) => ({ deep })) }) }) },
  { weight: 1, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id, error: fc.record({ code: oddNumber, message: anyString, data: jsonish }, { requiredKeys: [] }) }) },
  { weight: 1, arbitrary: fc.record({ jsonrpc: fc.oneof(fc.constantFrom('1.0', '2', 2, null), anyString), id, method: fc.oneof(fc.constantFrom(...METHODS), anyString), params: jsonish, result: jsonish }, { requiredKeys: [] }) },
);

/** What an agent may put in a request body or on a stdio line: JSON-RPC, batches, other JSON, and non-JSON. */
export const bodyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 14, arbitrary: jsonRpcMessage.map(safeStringify) },
  { weight: 2, arbitrary: fc.array(jsonRpcMessage, { maxLength: 4 }).map(safeStringify) },
  { weight: 1, arbitrary: jsonish.map(safeStringify) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":', '}}'])).map(([depth, [open, close]]) => nestedText(depth, open, close, open === '[' ? '' : '1')) },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: jsonRpcMessage.map(safeStringify).chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))) },
);

/** JSON.stringify that survives what it cannot encode (a deep value): such a case sends its own text instead. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return nestedText(10_000);
  }
}
