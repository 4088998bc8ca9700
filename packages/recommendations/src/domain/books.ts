import { BookCategory } from '@bookstore/contracts';

/** A catalog entry, independent of any wire format. */
export interface CatalogBook {
  readonly id: number;
  readonly title: string;
  readonly author: string;
  readonly category: BookCategory;
}

const {
  BOOK_CATEGORY_MYSTERY: MYSTERY,
  BOOK_CATEGORY_SCIENCE_FICTION: SCI_FI,
  BOOK_CATEGORY_SELF_HELP: SELF_HELP,
} = BookCategory;

/**
 * The embedded catalog. Ids 1-9 are the tutorial's nine titles, so its examples and tests
 * read the same here; the rest give every category six books.
 */
export const BOOKS: readonly CatalogBook[] = [
  { id: 1, title: 'The Maltese Falcon', author: 'Dashiell Hammett', category: MYSTERY },
  { id: 2, title: 'Murder on the Orient Express', author: 'Agatha Christie', category: MYSTERY },
  { id: 3, title: 'The Hound of the Baskervilles', author: 'Arthur Conan Doyle', category: MYSTERY },
  { id: 4, title: "The Hitchhiker's Guide to the Galaxy", author: 'Douglas Adams', category: SCI_FI },
  { id: 5, title: "Ender's Game", author: 'Orson Scott Card', category: SCI_FI },
  { id: 6, title: 'The Dune Chronicles', author: 'Frank Herbert', category: SCI_FI },
  { id: 7, title: 'The 7 Habits of Highly Effective People', author: 'Stephen R. Covey', category: SELF_HELP },
  { id: 8, title: 'How to Win Friends and Influence People', author: 'Dale Carnegie', category: SELF_HELP },
  { id: 9, title: "Man's Search for Meaning", author: 'Viktor E. Frankl', category: SELF_HELP },
  { id: 10, title: 'The Big Sleep', author: 'Raymond Chandler', category: MYSTERY },
  { id: 11, title: 'The Name of the Rose', author: 'Umberto Eco', category: MYSTERY },
  { id: 12, title: 'Gone Girl', author: 'Gillian Flynn', category: MYSTERY },
  { id: 13, title: 'Neuromancer', author: 'William Gibson', category: SCI_FI },
  { id: 14, title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', category: SCI_FI },
  { id: 15, title: 'Foundation', author: 'Isaac Asimov', category: SCI_FI },
  { id: 16, title: 'Atomic Habits', author: 'James Clear', category: SELF_HELP },
  { id: 17, title: 'Thinking, Fast and Slow', author: 'Daniel Kahneman', category: SELF_HELP },
  { id: 18, title: 'Mindset', author: 'Carol S. Dweck', category: SELF_HELP },
];
