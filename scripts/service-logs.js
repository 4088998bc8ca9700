// How `make run` and `make dev` show the services' log lines: on a terminal, readable and coloured
// by pino-pretty (`HH:MM:ss.l INFO (recommendations): recommendations listening`); anywhere else
// (containers, CI, pipes, files) the JSON lines unchanged, so they can still be parsed.
// The services themselves always log JSON; only these local runners prettify.
const { createInterface } = require('node:readline');

/**
 * Copies a child's stdout to `output` line by line, so two services writing at once never
 * interleave within a line. `pretty` defaults to whether `output` is a terminal; LOG_FORMAT=json
 * or LOG_FORMAT=pretty overrides that.
 */
function pipeServiceLogs(input, options = {}) {
  const output = options.output ?? process.stdout;
  const format = options.format ?? process.env.LOG_FORMAT;
  const pretty = format === 'pretty' || (format !== 'json' && output.isTTY === true);
  const render = pretty ? prettifier() : (line) => `${line}\n`;
  createInterface({ input, crlfDelay: Infinity }).on('line', (line) => output.write(render(line)));
  stopWhenClosed(output);
}

const watched = new WeakSet();
/**
 * When the reader goes away (`make run | head`), writing fails with EPIPE: the runner then stops
 * the services as on SIGTERM, instead of crashing and leaving them running without a parent.
 */
function stopWhenClosed(output) {
  if (watched.has(output)) return;
  watched.add(output);
  let signalled = false;
  output.on('error', () => {
    if (!signalled) process.kill(process.pid, 'SIGTERM');
    signalled = true;
  });
}

let cached;
function prettifier() {
  // Loaded only when needed: pino-pretty is a devDependency of the repository root.
  cached ??= require('pino-pretty').prettyFactory({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return cached;
}

module.exports = { pipeServiceLogs };
