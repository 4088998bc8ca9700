import type { BookCategory } from '@bookstore/contracts';
import type { CatalogBook } from './books';

/** Books in ascending id order, read by position: a book object is made only when asked for. */
export interface BookList {
  readonly length: number;
  /** The book at `index` (0 ≤ index < length). */
  at(index: number): CatalogBook;
  /** Its id alone, without decoding the strings. */
  idAt(index: number): number;
  /** The position of the first book whose id is above `id` (binary search; `length` when none). */
  indexAfter(id: number): number;
}

/** Typed arrays that double when full, so adding n books costs O(n) copies in all. */
function grow<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** The text lives in chunks of this size; a book's title and author never straddle two. */
const CHUNK_BYTES = 1 << 20;

/**
 * The catalog's storage: one column per field (id, category, where its text starts, and the
 * UTF-8 byte lengths of title and author), 13 bytes a book, plus the text in 1 MiB chunks.
 * Sized once from `capacity` when the caller knows the count (a file's lines), so loading a
 * million books leaves no discarded copies behind. Books are added in any order; `build`
 * orders them by id and indexes each category.
 */
export function createBookColumns(capacity = 1024) {
  let size = 0;
  let ids = new Int32Array(capacity);
  let categories = new Uint8Array(capacity);
  let starts = new Uint32Array(capacity);
  let titleBytes = new Uint16Array(capacity);
  let authorBytes = new Uint16Array(capacity);
  let inputs = new Int32Array(capacity); // the caller's index of each book, for problems only
  const chunks: Buffer[] = [];
  let used = CHUNK_BYTES; // in the last chunk; "full" until the first is made
  let sorted = true;

  return {
    /** Adds a valid book (title and author of at most MAX_TEXT_LENGTH characters each). */
    add(book: CatalogBook, input: number) {
      if (size === ids.length) {
        ids = grow(ids, size + 1);
        categories = grow(categories, size + 1);
        starts = grow(starts, size + 1);
        titleBytes = grow(titleBytes, size + 1);
        authorBytes = grow(authorBytes, size + 1);
        inputs = grow(inputs, size + 1);
      }
      if (used + 3 * (book.title.length + book.author.length) > CHUNK_BYTES) {
        chunks.push(Buffer.allocUnsafeSlow(CHUNK_BYTES));
        used = 0;
      }
      const chunk = chunks[chunks.length - 1] as Buffer;
      if (size > 0 && book.id <= (ids[size - 1] as number)) sorted = false;
      ids[size] = book.id;
      categories[size] = book.category;
      starts[size] = (chunks.length - 1) * CHUNK_BYTES + used;
      const title = chunk.write(book.title, used, 'utf8');
      const author = chunk.write(book.author, used + title, 'utf8');
      titleBytes[size] = title;
      authorBytes[size] = author;
      used += title + author;
      inputs[size] = input;
      size += 1;
    },

    /** Orders and indexes the books; reports each id met again (with the caller's index of the later one). */
    build(duplicate: (id: number, input: number) => void) {
      const fit = <T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(array: T) =>
        (array.length === size ? array : array.slice(0, size)) as T;
      const store: Store = {
        ids: fit(ids),
        categories: fit(categories),
        starts: fit(starts),
        titleBytes: fit(titleBytes),
        authorBytes: fit(authorBytes),
        chunks,
      };
      // The closures returned below keep this function's context alive: drop the growable
      // columns (when larger than the copies above) so they can be collected.
      const inputsBySlot = inputs;
      ids = new Int32Array(0);
      categories = new Uint8Array(0);
      starts = new Uint32Array(0);
      titleBytes = new Uint16Array(0);
      authorBytes = new Uint16Array(0);
      inputs = new Int32Array(0);
      const order = new Uint32Array(size);
      for (let i = 0; i < size; i += 1) order[i] = i;
      if (!sorted) order.sort((a, b) => (store.ids[a] as number) - (store.ids[b] as number));
      for (let i = 1; i < size; i += 1) {
        const id = store.ids[order[i] as number] as number;
        if (id === store.ids[order[i - 1] as number]) duplicate(id, inputsBySlot[order[i] as number] as number);
      }
      const counts = new Map<number, number>();
      for (let i = 0; i < size; i += 1) {
        const category = store.categories[i] as number;
        counts.set(category, (counts.get(category) ?? 0) + 1);
      }
      const byCategory = new Map<number, Uint32Array>();
      const filled = new Map<number, number>();
      for (const [category, count] of counts) byCategory.set(category, new Uint32Array(count));
      for (let i = 0; i < size; i += 1) {
        const slot = order[i] as number;
        const category = store.categories[slot] as number;
        const at = filled.get(category) ?? 0;
        (byCategory.get(category) as Uint32Array)[at] = slot;
        filled.set(category, at + 1);
      }
      const all = listOver(store, order);
      const empty = listOver(store, new Uint32Array(0));
      return {
        all: () => all,
        inCategory: (category: BookCategory) => {
          const slots = byCategory.get(category);
          return slots === undefined ? empty : listOver(store, slots);
        },
      };
    },
  };
}

interface Store {
  readonly ids: Int32Array;
  readonly categories: Uint8Array;
  readonly starts: Uint32Array;
  readonly titleBytes: Uint16Array;
  readonly authorBytes: Uint16Array;
  readonly chunks: readonly Buffer[];
}

/** A BookList over the store's slots listed in id order. */
function listOver(store: Store, slots: Uint32Array): BookList {
  const { ids, categories, starts, titleBytes, authorBytes, chunks } = store;
  const idAt = (index: number) => ids[slots[index] as number] as number;
  return {
    length: slots.length,
    idAt,
    at(index) {
      const slot = slots[index] as number;
      const start = starts[slot] as number;
      const chunk = chunks[Math.floor(start / CHUNK_BYTES)] as Buffer;
      const offset = start % CHUNK_BYTES;
      const titleEnd = offset + (titleBytes[slot] as number);
      return {
        id: ids[slot] as number,
        title: chunk.toString('utf8', offset, titleEnd),
        author: chunk.toString('utf8', titleEnd, titleEnd + (authorBytes[slot] as number)),
        category: categories[slot] as BookCategory,
      };
    },
    indexAfter(id) {
      let low = 0;
      let high = slots.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (idAt(middle) <= id) low = middle + 1;
        else high = middle;
      }
      return low;
    },
  };
}
