import { isFailedPage, loadPage, type PageResult } from './pages';

/**
 * Loads `url` at a steady `rate` pages/s for `seconds` (bounded: rate × seconds requests),
 * calling `at(second)` once per elapsed second so a test can inject faults on a schedule.
 */
export async function steadyLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  at?: (second: number) => void;
}) {
  const total = options.rate * options.seconds;
  const pages: (PageResult & { error?: string })[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let announced = -1;
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const second = Math.floor((performance.now() - started) / 1000);
    if (second > announced) {
      announced = second;
      options.at?.(second);
    }
    inFlight.push(
      loadPage(options.url).then(
        (page) => void pages.push(page),
        (error: Error) =>
          void pages.push({
            status: 0,
            error: error.message,
            books: [],
            degraded: false,
            ms: 0,
            headers: new Headers(),
          }),
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  const failed = pages.filter((p) => p.status !== 200);
  const degraded = pages.filter((p) => p.status === 200 && isFailedPage(p as PageResult));
  return { pages, failed, degraded, achievedRate: pages.length / elapsed };
}
