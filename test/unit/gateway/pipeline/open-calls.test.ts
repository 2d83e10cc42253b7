import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallAdmission } from '../../../../src-gateway/pipeline/call-admission.js';
import { OpenCalls, type OpenCall } from '../../../../src-gateway/pipeline/open-calls.js';

const call = (id: number, progressToken?: string): OpenCall => ({ id, method: 'tools/call', tool: 'echo', startedAt: 0, progressToken });

describe('open calls and the admission cap', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refuses a call beyond the gateway-wide cap, across sessions, and admits again once one leaves', () => {
    const admission = new CallAdmission(2, 1000);
    const a = new OpenCalls(admission, () => {});
    const b = new OpenCalls(admission, () => {});
    expect(a.admit('1', call(1))).toBe(true);
    expect(b.admit('1', call(1))).toBe(true);
    expect(b.admit('2', call(2))).toBe(false);
    expect(b.has('2')).toBe(false);
    a.delete('1');
    expect(b.admit('2', call(2))).toBe(true);
    expect(admission.inFlight).toBe(2);
  });

  it('gives back every slot and timer when a session ends', () => {
    const admission = new CallAdmission(10, 1000);
    const timedOut = vi.fn();
    const calls = new OpenCalls(admission, timedOut);
    for (let i = 0; i < 5; i++) calls.admit(String(i), call(i));
    calls.clear();
    expect(admission.inFlight).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(timedOut).not.toHaveBeenCalled();
  });

  it('times a call out once its deadline passes, and progress starts the deadline again', () => {
    const admission = new CallAdmission(10, 1000);
    const timedOut = vi.fn();
    const calls = new OpenCalls(admission, timedOut);
    calls.admit('1', call(1, 'p1'));
    calls.admit('2', call(2));
    vi.advanceTimersByTime(800);
    calls.touch(calls.keyOfProgress('p1')!);
    vi.advanceTimersByTime(300);
    expect(timedOut.mock.calls.map(([key]) => key)).toEqual(['2']);
    vi.advanceTimersByTime(800);
    expect(timedOut.mock.calls.map(([key]) => key)).toEqual(['2', '1']);
  });

  it('does not count a call twice when its id is reused', () => {
    const admission = new CallAdmission(10, 1000);
    const calls = new OpenCalls(admission, () => {});
    calls.admit('1', call(1));
    calls.admit('1', call(1));
    expect(admission.inFlight).toBe(1);
    expect(calls.delete('1')).toBe(true);
    expect(calls.delete('1')).toBe(false);
    expect(admission.inFlight).toBe(0);
  });
});
