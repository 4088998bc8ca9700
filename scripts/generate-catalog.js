#!/usr/bin/env node
// Writes a synthetic catalog of N books as JSON lines (CATALOG_FILE's format) to stdout:
//   node scripts/generate-catalog.js 1000000 [seed] > /tmp/catalog.jsonl
// Deterministic by seed (default 1): the same N and seed give the same bytes. Ids are 1..N in
// order; categories cycle so every category holds about a third of the books. Needs `make build`.
const CATEGORIES = ['mystery', 'science-fiction', 'self-help'];
const WORDS = [
  'Silent',
  'Crimson',
  'Hidden',
  'Last',
  'Broken',
  'Golden',
  'Distant',
  'Quiet',
  'Iron',
  'Glass',
  'River',
  'Garden',
  'Empire',
  'Signal',
  'Harbor',
  'Winter',
  'Machine',
  'Shadow',
  'Letter',
  'Island',
];
const NAMES = ['Ada', 'Ben', 'Clara', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jonas'];
const SURNAMES = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen'];

function usage(message) {
  process.stderr.write(`${message}\nusage: node scripts/generate-catalog.js N [seed] > catalog.jsonl\n`);
  process.exit(2);
}

/** The service's own seedable generator (mulberry32), from the built package: `make build` first. */
function seeded(seed) {
  try {
    return require('../packages/recommendations/dist/domain/sample.js').seededRandom(seed);
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    usage('packages/recommendations is not built yet: run `make build` first');
  }
}

const count = Number(process.argv[2]);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isInteger(count) || count < 0 || count > 2 ** 31 - 1)
  usage(`N must be a whole number, got ${process.argv[2]}`);
if (!Number.isInteger(seed)) usage(`seed must be a whole number, got ${process.argv[3]}`);

const random = seeded(seed);
const pick = (list) => list[Math.floor(random() * list.length)];
let chunk = '';
for (let id = 1; id <= count; id += 1) {
  const title = `The ${pick(WORDS)} ${pick(WORDS)} ${id}`;
  const author = `${pick(NAMES)} ${pick(SURNAMES)}`;
  chunk += `${JSON.stringify({ id, title, author, category: CATEGORIES[id % CATEGORIES.length] })}\n`;
  if (chunk.length > 1 << 16 || id === count) {
    process.stdout.write(chunk);
    chunk = '';
  }
}
