// `make dev`'s compilers: one `tsc --watch` per package, kept running, so a change recompiles in
// a fraction of a second (a cold `tsc -p` takes 3-5 s here). --noEmitOnError keeps the last good
// dist/ in place, so a compile error never reaches a running or restarting service.
const { spawn } = require('node:child_process');
const { watch } = require('node:fs');
const { join } = require('node:path');
const { createInterface } = require('node:readline');
const { clearTimeout } = require('node:timers');

const TSC = require.resolve('typescript/bin/tsc');
const FOUND = /Found (\d+) errors?\. Watching for file changes\./;

/**
 * Starts `tsc --watch` in `dir`. Calls `onCompiled({ initial, errors, output })` after every
 * compilation: `output` holds that compilation's diagnostics, so a caller prints them once.
 */
function watchCompile(dir, onCompiled) {
  const child = spawn(
    process.execPath,
    [
      TSC,
      '-p',
      join(dir, 'tsconfig.build.json'),
      '--watch',
      '--preserveWatchOutput',
      '--noEmitOnError',
      '--pretty',
      'false',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let initial = true;
  let output = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const found = FOUND.exec(line);
    if (found === null) {
      if (!/Starting compilation|File change detected/.test(line) && line.trim() !== '') output.push(line);
      return;
    }
    onCompiled({ initial, errors: Number(found[1]), output });
    initial = false;
    output = [];
  });
  return { stop: () => child.kill('SIGTERM'), child };
}

/** Calls `onChange()` once per burst of changes anywhere under `dir` (editors write in several steps). */
function watchFiles(dir, onChange, quietMs = 100) {
  let timer;
  const watcher = watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, quietMs);
  });
  return {
    stop: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

module.exports = { watchCompile, watchFiles };
