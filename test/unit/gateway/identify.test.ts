import { describe, expect, it } from 'vitest';
import { describe as describeMessage } from '../../../src-gateway/pipeline/identify.js';
import type { PendingRequest } from '../../../src-gateway/pipeline/pipeline-types.js';

const pending = new Map<string, PendingRequest>([['7', { method: 'tools/call', tool: 'run_sql', startedAt: 1000 }]]);
const ctx = { pendingRequest: (id: string) => pending.get(id) };

describe('identify', () => {
  it.each([
    [{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'find_customer', arguments: {} } }, { kind: 'request', rpcId: '1', method: 'tools/call', tool: 'find_customer' }],
    [{ jsonrpc: '2.0', id: 'a', method: 'resources/read', params: { uri: 'customer://1' } }, { kind: 'request', rpcId: '"a"', method: 'resources/read', tool: 'customer://1' }],
    [{ jsonrpc: '2.0', id: 2, method: 'prompts/get', params: { name: 'draft_reply' } }, { kind: 'request', rpcId: '2', method: 'prompts/get', tool: 'draft_reply' }],
    [{ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { kind: 'request', rpcId: '3', method: 'tools/list', tool: undefined }],
    [{ jsonrpc: '2.0', method: 'notifications/initialized' }, { kind: 'notification', rpcId: undefined, method: 'notifications/initialized', tool: undefined }],
    [{ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 42 } }, { kind: 'request', rpcId: '4', method: 'tools/call', tool: undefined }],
  ])('describes %j', (message, expected) => {
    expect(describeMessage(message as never, ctx)).toEqual(expected);
  });

  it('gives a response the method, tool and start time of the request it answers', () => {
    expect(describeMessage({ jsonrpc: '2.0', id: 7, result: {} }, ctx)).toEqual({ kind: 'response', rpcId: '7', method: 'tools/call', tool: 'run_sql', requestStartedAt: 1000 });
    expect(describeMessage({ jsonrpc: '2.0', id: 7, error: { code: 1, message: 'x' } }, ctx)).toMatchObject({ kind: 'error', tool: 'run_sql' });
  });

  it('keeps the ids 7 and "7" apart', () => {
    expect(describeMessage({ jsonrpc: '2.0', id: '7', result: {} }, ctx)).toMatchObject({ rpcId: '"7"', method: undefined });
  });
});
