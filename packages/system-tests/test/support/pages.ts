import { parse } from 'node-html-parser';

export interface PageResult {
  readonly status: number;
  readonly ms: number;
  /** Titles in the recommendations list. */
  readonly books: string[];
  /** The page shows the "unavailable" notice instead of the list. */
  readonly degraded: boolean;
  readonly headers: Headers;
}

/** Loads a page as a browser would and reports what a person would see. */
export async function loadPage(url: string, headers: Record<string, string> = {}): Promise<PageResult> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  const ms = performance.now() - started;
  const main = parse(body).querySelector('main');
  return {
    status: response.status,
    ms,
    books: main?.querySelectorAll('li.book').map((li) => li.text.trim()) ?? [],
    degraded: main?.querySelector('.notice')?.text.includes('unavailable') ?? false,
    headers: response.headers,
  };
}

/** A page a person would call broken: not 200, or without its 3 books. */
export function isFailedPage(page: PageResult): boolean {
  return page.status !== 200 || page.books.length !== 3;
}
