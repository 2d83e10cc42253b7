import type { LeafCollector } from './json-walk.js';

/** Results that describe a server (its tools, prompts, resources), not data it returns: left as they are. */
const CATALOGUE_METHODS = new Set([
  'initialize', 'ping', 'tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'logging/setLevel',
]);

/** Results whose text-bearing fields are known, so that only those are masked. */
const MASKED_FIELDS_KNOWN = new Set(['tools/call', 'resources/read', 'prompts/get']);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isErrorObject = (value: Json) => typeof value.code === 'number' && typeof value.message === 'string';

/**
 * Copies a server's answer to `method`, handing the collector exactly the fields that carry text:
 * - tools/call: `content[].text`, embedded `content[].resource.text`, and `structuredContent`;
 * - resources/read: `contents[].text`;
 * - prompts/get: the text and embedded resource text of each `messages[].content`;
 * - a JSON-RPC error object (`{code, message, data}`): `message` and `data`.
 * Binary content (`data` of images and audio, `blob`) and every other field are copied untouched.
 * Catalogue results (tools/list and the like) are returned as they are. Any other method, or none,
 * has every string of its result masked: what the engine does not know, it does not let through.
 * Returns a holder whose `value` is the copy, complete once the collector's `apply` has run.
 */
export function collectResult(method: string | undefined, result: unknown, collector: LeafCollector): { value: unknown } {
  const holder: { value: unknown } = { value: result };
  if (method !== undefined && CATALOGUE_METHODS.has(method)) return holder;
  if (!isObject(result) || !(isErrorObject(result) || MASKED_FIELDS_KNOWN.has(method ?? ''))) {
    collector.add(result, '', holder, 'value');
    return holder;
  }
  const copy: Json = { ...result };
  holder.value = copy;
  if (isErrorObject(result)) {
    collector.add(result.message, '/message', copy, 'message');
    if ('data' in result) collector.add(result.data, '/data', copy, 'data');
  } else if (method === 'tools/call') {
    if ('content' in result) copy.content = blocks(result.content, '/content', collector);
    if ('structuredContent' in result) collector.add(result.structuredContent, '/structuredContent', copy, 'structuredContent');
  } else if (method === 'resources/read') {
    if ('contents' in result) copy.contents = each(result.contents, '/contents', (item, at) => textOf(item, at, collector));
  } else if (method === 'prompts/get' && 'messages' in result) {
    copy.messages = each(result.messages, '/messages', (message, at) => {
      if (!isObject(message)) return message;
      const content = Array.isArray(message.content) ? blocks(message.content, `${at}/content`, collector) : block(message.content, `${at}/content`, collector);
      return { ...message, content };
    });
  }
  return holder;
}

function each(list: unknown, pointer: string, map: (item: unknown, at: string) => unknown): unknown {
  return Array.isArray(list) ? list.map((item, i) => map(item, `${pointer}/${i}`)) : list;
}

function blocks(list: unknown, pointer: string, collector: LeafCollector): unknown {
  return each(list, pointer, (item, at) => block(item, at, collector));
}

/** A content block: its text, or the text of the resource it embeds; images, audio and links as they are. */
function block(item: unknown, at: string, collector: LeafCollector): unknown {
  if (!isObject(item)) return item;
  if (item.type === 'text') return textOf(item, at, collector);
  if (item.type === 'resource' && isObject(item.resource)) return { ...item, resource: textOf(item.resource, `${at}/resource`, collector) };
  return item;
}

function textOf(item: unknown, at: string, collector: LeafCollector): unknown {
  if (!isObject(item) || typeof item.text !== 'string') return item;
  const copy: Json = { ...item };
  collector.add(item.text, `${at}/text`, copy, 'text');
  return copy;
}
