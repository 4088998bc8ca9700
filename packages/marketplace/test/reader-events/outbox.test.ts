import { createOutbox, type OutboxEvent } from '../../src/reader-events/outbox';

const event = (n: number): OutboxEvent => ({ eventId: `e${n}`, userId: 1, bookId: n, occurredAt: new Date(0) });
const ids = (events: OutboxEvent[]) => events.map((e) => e.eventId);

describe('the reader-events outbox', () => {
  function outboxOf(capacity: number) {
    const dropped: string[] = [];
    const outbox = createOutbox({ capacity, onDrop: (e) => dropped.push(e.eventId) });
    return { outbox, dropped };
  }

  it('holds at most its capacity, dropping the oldest event first', () => {
    const { outbox, dropped } = outboxOf(3);
    for (let n = 1; n <= 5; n++) outbox.enqueue(event(n));
    expect(outbox.size).toBe(3);
    expect(dropped).toEqual(['e1', 'e2']);
    expect(ids(outbox.takeUnsent(10))).toEqual(['e3', 'e4', 'e5']);
  });

  it('drops the oldest even when it is in flight', () => {
    const { outbox, dropped } = outboxOf(2);
    outbox.enqueue(event(1));
    outbox.enqueue(event(2));
    expect(ids(outbox.takeUnsent(1))).toEqual(['e1']);
    outbox.enqueue(event(3));
    expect(dropped).toEqual(['e1']);
    // Its late acknowledgement changes nothing.
    outbox.acknowledge(['e1']);
    expect(outbox.size).toBe(2);
  });

  it('hands out unsent events oldest first, in batches, and keeps them until acknowledged', () => {
    const { outbox } = outboxOf(10);
    for (let n = 1; n <= 5; n++) outbox.enqueue(event(n));
    expect(ids(outbox.takeUnsent(2))).toEqual(['e1', 'e2']);
    expect(ids(outbox.takeUnsent(2))).toEqual(['e3', 'e4']);
    expect([outbox.size, outbox.unsentCount]).toEqual([5, 1]);
    outbox.acknowledge(['e1', 'e2', 'unknown']);
    expect([outbox.size, outbox.unsentCount]).toEqual([3, 1]);
  });

  it('makes everything in flight unsent again, in its first order, when the stream breaks', () => {
    const { outbox } = outboxOf(10);
    for (let n = 1; n <= 4; n++) outbox.enqueue(event(n));
    outbox.takeUnsent(3);
    outbox.acknowledge(['e2']);
    outbox.resendAll();
    expect(ids(outbox.takeUnsent(10))).toEqual(['e1', 'e3', 'e4']);
  });

  it('keeps an event id once', () => {
    const { outbox } = outboxOf(10);
    outbox.enqueue(event(1));
    outbox.enqueue(event(1));
    expect(outbox.size).toBe(1);
  });

  it('refuses a capacity below 1', () => {
    expect(() => createOutbox({ capacity: 0, onDrop: () => undefined })).toThrow(RangeError);
  });
});
