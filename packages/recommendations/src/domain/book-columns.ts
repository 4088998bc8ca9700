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
function grow<T extends Int32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** The text lives in chunks of this size; a book's title and author never straddle two. */
const CHUNK_BYTES = 1 << 20;

/** Int32s a book takes in `records`: id, where its text starts, title and author byte lengths (16 bits each), category. */
const FIELDS = 4;

/**
 * The catalog's storage: one record of 16 bytes a book (id, text start, the UTF-8 byte lengths
 * of title and author, category) in one typed array, so reading a book by position touches one
 * cache line besides its text (columns apart cost ~5 misses a book at 1M books), plus the text
 * in 1 MiB chunks. Sized once from `capacity` when the caller knows the count (a file's lines),
 * so loading a million books leaves no discarded copies behind. Books are added in any order;
 * `build` orders them by id and indexes each category.
 */
export function createBookColumns(capacity = 1024) {
  let size = 0;
  let records = new Int32Array(FIELDS * capacity);
  let inputs = new Int32Array(capacity); // the caller's index of each book, for problems only
  const chunks: Buffer[] = [];
  let used = CHUNK_BYTES; // in the last chunk; "full" until the first is made
  let sorted = true;
  let lastId = 0;

  return {
    /** Adds a valid book (title and author of at most MAX_TEXT_LENGTH characters each). */
    add(book: CatalogBook, input: number) {
      if (size === inputs.length) {
        records = grow(records, FIELDS * (size + 1));
        inputs = grow(inputs, size + 1);
      }
      if (used + 3 * (book.title.length + book.author.length) > CHUNK_BYTES) {
        chunks.push(Buffer.allocUnsafeSlow(CHUNK_BYTES));
        used = 0;
      }
      const chunk = chunks[chunks.length - 1] as Buffer;
      if (size > 0 && book.id <= lastId) sorted = false;
      lastId = book.id;
      const title = chunk.write(book.title, used, 'utf8');
      const author = chunk.write(book.author, used + title, 'utf8');
      const at = FIELDS * size;
      records[at] = book.id;
      records[at + 1] = (chunks.length - 1) * CHUNK_BYTES + used;
      records[at + 2] = (title << 16) | author;
      records[at + 3] = book.category;
      used += title + author;
      inputs[size] = input;
      size += 1;
    },

    /** Orders and indexes the books; reports each id met again (with the caller's index of the later one). */
    build(duplicate: (id: number, input: number) => void) {
      const store: Store = {
        records: records.length === FIELDS * size ? records : records.slice(0, FIELDS * size),
        chunks,
      };
      // The closures returned below keep this function's context alive: drop the growable
      // arrays (when larger than the copy above) so they can be collected.
      const inputsBySlot = inputs;
      records = new Int32Array(0);
      inputs = new Int32Array(0);
      const id = (slot: number) => store.records[FIELDS * slot] as number;
      const category = (slot: number) => store.records[FIELDS * slot + 3] as number;
      const order = new Uint32Array(size);
      for (let i = 0; i < size; i += 1) order[i] = i;
      if (!sorted) order.sort((a, b) => id(a) - id(b));
      for (let i = 1; i < size; i += 1) {
        if (id(order[i] as number) === id(order[i - 1] as number)) {
          duplicate(id(order[i] as number), inputsBySlot[order[i] as number] as number);
        }
      }
      const counts = new Map<number, number>();
      for (let slot = 0; slot < size; slot += 1) counts.set(category(slot), (counts.get(category(slot)) ?? 0) + 1);
      const byCategory = new Map<number, Uint32Array>();
      const filled = new Map<number, number>();
      for (const [value, count] of counts) byCategory.set(value, new Uint32Array(count));
      for (let i = 0; i < size; i += 1) {
        const slot = order[i] as number;
        const at = filled.get(category(slot)) ?? 0;
        (byCategory.get(category(slot)) as Uint32Array)[at] = slot;
        filled.set(category(slot), at + 1);
      }
      const all = listOver(store, order);
      const empty = listOver(store, new Uint32Array(0));
      const lists = new Map([...byCategory].map(([value, slots]) => [value, listOver(store, slots)]));
      return {
        all: () => all,
        inCategory: (value: BookCategory) => lists.get(value) ?? empty,
      };
    },
  };
}

interface Store {
  readonly records: Int32Array;
  readonly chunks: readonly Buffer[];
}

/** A BookList over the store's slots listed in id order. */
function listOver(store: Store, slots: Uint32Array): BookList {
  const { records, chunks } = store;
  const idAt = (index: number) => records[FIELDS * (slots[index] as number)] as number;
  return {
    length: slots.length,
    idAt,
    at(index) {
      const at = FIELDS * (slots[index] as number);
      const start = (records[at + 1] as number) >>> 0; // stored as int32: up to 4 GiB of text
      const lengths = records[at + 2] as number;
      const chunk = chunks[Math.floor(start / CHUNK_BYTES)] as Buffer;
      const offset = start % CHUNK_BYTES;
      const titleEnd = offset + (lengths >>> 16);
      return {
        id: records[at] as number,
        title: chunk.toString('utf8', offset, titleEnd),
        author: chunk.toString('utf8', titleEnd, titleEnd + (lengths & 0xffff)),
        category: records[at + 3] as BookCategory,
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
