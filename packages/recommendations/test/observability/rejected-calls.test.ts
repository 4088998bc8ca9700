import { status as Status } from '@grpc/grpc-js';
import { refusedForWhatTheClientSent, timeoutMs } from '../../src/observability/rejected-calls';

describe('calls refused for what the client sent (left out of the availability SLO)', () => {
  it('reads grpc-timeout in milliseconds, and nothing from a malformed one', () => {
    expect(timeoutMs('1n')).toBeCloseTo(1e-6);
    expect(timeoutMs('300m')).toBe(300);
    expect(timeoutMs('2S')).toBe(2000);
    expect(timeoutMs('1H')).toBe(3_600_000);
    for (const bad of [undefined, '', '300', 'm', '123456789m', '-1m', ['1m']]) expect(timeoutMs(bad)).toBeUndefined();
  });

  it('are a malformed or oversized message, or a deadline under 50 ms (the latency objective) that passed first', () => {
    const deadline = (value?: string) =>
      refusedForWhatTheClientSent(Status.DEADLINE_EXCEEDED, value === undefined ? {} : { 'grpc-timeout': value });
    expect(refusedForWhatTheClientSent(Status.INTERNAL, {})).toBe(true);
    expect(refusedForWhatTheClientSent(Status.RESOURCE_EXHAUSTED, {})).toBe(true);
    expect([deadline('1n'), deadline('49m'), deadline('50m'), deadline('300m'), deadline()]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    // What the service itself fails with is never the client's doing.
    for (const code of [Status.UNAVAILABLE, Status.UNKNOWN, Status.DATA_LOSS, Status.UNIMPLEMENTED]) {
      expect(refusedForWhatTheClientSent(code, { 'grpc-timeout': '1n' })).toBe(false);
    }
  });
});
