/** Why a store read was given up: answered instead without the store (degraded). */
export class StoreReadTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the event store did not answer within ${timeoutMs} ms`);
    this.name = 'StoreReadTimeoutError';
  }
}

/**
 * `read()` if it settles within `timeoutMs`, else a StoreReadTimeoutError. A read that throws at
 * once rejects too. The read itself is not cancelled (store clients take no signal); its late
 * result or error is dropped, never left unhandled.
 */
export function withinBudget<T>(read: () => Promise<T>, timeoutMs: number): Promise<T> {
  // A read that throws instead of rejecting is a failed read too.
  const pending = Promise.resolve().then(read);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreReadTimeoutError(timeoutMs)), timeoutMs);
  });
  pending.catch(() => undefined);
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}
