// The README's performance figures, written from bench/results/latest.json so they cannot drift:
// `make bench` runs this after bench/run.js, and a test (packages/deploy-checks/test/docs.test.ts)
// runs it with --check. Usage: node scripts/readme-figures.js [--check] [--readme F] [--results F]
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const START = '<!-- bench-figures: written by scripts/readme-figures.js from bench/results/latest.json -->';
const END = '<!-- /bench-figures -->';

const thousands = (n) => `${(n / 1000).toFixed(1)}k`;
const ms = (n) => `${Math.round(n)} ms`;
const last = (list) => list[list.length - 1];

/** The paragraph, from a latest.json, wrapped at 100 columns as the README is. */
function render(latest) {
  const { recommend, homepage, coldStart, ratios, targets, machine } = latest;
  const targetList = Object.values(targets);
  const sentence =
    `Last run (\`bench/results/latest.json\`, ${latest.date.slice(0, 10)}, ${machine.cpus} × ${machine.model}, ` +
    `Node ${machine.node}, load average ${machine.loadAverageAtStart[0].toFixed(1)} at the start): ` +
    `Recommend **${thousands(recommend.ours.perSecond)} req/s** (${ratios.recommend.toFixed(2)} of the bare grpc-js ` +
    `server), homepage **${thousands(homepage.ours.perSecond)} pages/s** (${ratios.homepage.toFixed(2)} of a bare ` +
    `fastify page), p99 ${ms(homepage.ours.fixedRate.p99Ms)} at a steady ${homepage.ours.fixedRate.rate} pages/s ` +
    `(bare page ${ms(homepage.ceiling.fixedRate.p99Ms)}), cold start (a new pod's, empty compile cache) ` +
    `${coldStart.recommendations.emptyCache.medianMs} / ${coldStart.marketplace.emptyCache.medianMs} ms, RSS after load ${Math.round(last(recommend.ours.rssAfterRunsMb))} / ` +
    `${Math.round(last(homepage.ours.rssAfterRunsMb))} MB growing ${recommend.ours.rssGrowthMbPerRun.toFixed(2)} / ` +
    `${homepage.ours.rssGrowthMbPerRun.toFixed(2)} MB a run (Recommendations / Marketplace); ` +
    `${targetList.filter((target) => target.met).length} of the ${targetList.length} targets met.`;
  // A field latest.json no longer has (its shape changed) must fail here, not print "undefined".
  if (/\bundefined\b|\bNaN\b/.test(sentence)) throw new Error(`latest.json lacks a figure: ${sentence}`);
  const lines = [''];
  for (const word of sentence.split(' ')) {
    const line = lines[lines.length - 1];
    if (line && line.length + 1 + word.length > 100) lines.push(word);
    else lines[lines.length - 1] = line ? `${line} ${word}` : word;
  }
  return lines.join('\n');
}

/** The README with the text between the markers replaced by `paragraph`. */
function withFigures(readme, paragraph) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the README has no ${START} … ${END} block`);
  return `${readme.slice(0, start + START.length)}\n${paragraph}\n${readme.slice(end)}`;
}

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const readmeFile = option('--readme', join(ROOT, 'README.md'));
const latest = JSON.parse(readFileSync(option('--results', join(ROOT, 'bench', 'results', 'latest.json')), 'utf8'));
const readme = readFileSync(readmeFile, 'utf8');
const updated = withFigures(readme, render(latest));
if (!process.argv.includes('--check')) {
  writeFileSync(readmeFile, updated);
} else if (updated !== readme) {
  console.error(`${readmeFile}: the performance figures differ from latest.json; run node scripts/readme-figures.js.`);
  console.error(`They should read:\n${render(latest)}`);
  process.exit(1);
}
