/**
 * A log line for something a client or an outage can make happen thousands of times a second:
 * every occurrence is counted by the caller's metric, but `write` runs at most once per
 * `intervalMs`, with how many occurred since its last line (that one included). The first
 * occurrence is written at once; later ones in the interval are told by the next line.
 */
export function createThrottledLog(options: {
  intervalMs: number;
  write: (countSinceLastLine: number) => void;
  now?: () => number;
}): () => void {
  const now = options.now ?? Date.now;
  let count = 0;
  let lastLineAt = -Infinity;
  return () => {
    count += 1;
    if (now() - lastLineAt < options.intervalMs) return;
    options.write(count);
    lastLineAt = now();
    count = 0;
  };
}
