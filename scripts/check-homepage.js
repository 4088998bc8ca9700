// Waits for the Marketplace homepage and checks that it shows recommendations:
//   node scripts/check-homepage.js [url] [seconds]
// Exit 0 when the page answers 200 with 3 books; 1 with what it saw when the time is up.
const url = process.argv[2] || 'http://127.0.0.1:5000/';
const deadline = Date.now() + Number(process.argv[3] || 120) * 1000;

async function look() {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const html = await response.text();
  const books = html.match(/<li class="book">/g)?.length ?? 0;
  return { status: response.status, books };
}

(async () => {
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const { status, books } = await look();
      if (status === 200 && books === 3) {
        console.log(`homepage ${url}: 200 with 3 books`);
        return;
      }
      last = `status ${status} with ${books} books`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.error(`homepage ${url}: not 200 with 3 books in time (last: ${last})`);
  process.exit(1);
})();
