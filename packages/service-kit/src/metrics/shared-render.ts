/**
 * Runs `render` for many concurrent callers at once: a call joins the render that has not begun
 * yet, or waits for the one under way to end and then joins the next. Each answer is rendered
 * after its caller asked, so it is never stale; but 200 scrapes at once cost a few renders, not
 * 200 (each one a synchronous walk of every metric on the event loop that serves the pages).
 */
export function sharedRender(render: () => Promise<string>): () => Promise<string> {
  let next: Promise<string> | undefined;
  let current: Promise<unknown> = Promise.resolve();
  return () => {
    if (next !== undefined) return next;
    const begin = current.then(
      () => new Promise<void>((resolve) => setImmediate(resolve)), // the callers of this turn join
    );
    const mine = begin.then(() => {
      next = undefined;
      return render();
    });
    next = mine;
    current = mine.catch(() => undefined);
    return mine;
  };
}
