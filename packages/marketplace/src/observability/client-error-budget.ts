export interface ClientErrorBudget {
  /**
   * Called for each client error (4xx): -1 when its line is held back, otherwise how many were
   * held back since the last line (0 or more).
   */
  take(): number;
}

/**
 * The first `perSecond` client errors of each second get a line; past that, `sampleRate` of them
 * (drawn with `random`). A client decides how many 4xx it causes, so without a budget it decides
 * the volume of the log; the metrics count every request anyway.
 */
export function createClientErrorBudget(options: {
  perSecond: number;
  sampleRate: number;
  random?: () => number;
  now?: () => number;
}): ClientErrorBudget {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  let second = 0;
  let logged = 0;
  let heldBack = 0;
  return {
    take() {
      const current = Math.floor(now() / 1000);
      if (current !== second) {
        second = current;
        logged = 0;
      }
      if (logged < options.perSecond || (options.sampleRate > 0 && random() < options.sampleRate)) {
        logged += 1;
        const before = heldBack;
        heldBack = 0;
        return before;
      }
      heldBack += 1;
      return -1;
    },
  };
}
