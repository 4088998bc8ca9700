// `make dev`: both services in watch mode. A change under a package's src/ recompiles it (tsc
// --watch) and restarts every service that uses it; a change under the marketplace's views/
// restarts the marketplace; a change under proto/ runs `make generate`, whose new contracts then
// restart both. A compile error is printed once and the running process is left alone. Ctrl+C
// stops everything. `--root DIR` runs the same loop on a copy of the repository (the tests do).
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { clearTimeout } = require('node:timers');
const { watchCompile, watchFiles } = require('./dev-compiler');
const { pipeServiceLogs } = require('./service-logs');

const rootFlag = process.argv.indexOf('--root');
const root = resolve(rootFlag === -1 ? join(__dirname, '..') : process.argv[rootFlag + 1]);
const say = (message) => process.stderr.write(`[dev] ${message}\n`);

const recommendationsPort = process.env.RECOMMENDATIONS_PORT || '50051';
const SERVICE_ENV = {
  recommendations: { PORT: recommendationsPort },
  marketplace: { PORT: process.env.PORT || '5000', RECOMMENDATIONS_ADDR: `localhost:${recommendationsPort}` },
};
const packageDir = (name) => join(root, 'packages', name);
const manifest = (name) => JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8'));

// The packages each service is built from: itself and the workspace libraries present in root.
const services = Object.keys(SERVICE_ENV)
  .filter((name) => existsSync(join(packageDir(name), 'package.json')))
  .map((name) => {
    const libraries = Object.entries(manifest(name).dependencies ?? {})
      .filter(([dep, version]) => dep.startsWith('@bookstore/') && version.startsWith('workspace:'))
      .map(([dep]) => dep.slice('@bookstore/'.length))
      .filter((lib) => existsSync(join(packageDir(lib), 'tsconfig.build.json')));
    return {
      name,
      packages: [name, ...libraries],
      child: undefined,
      restartTimer: undefined,
      queue: Promise.resolve(),
    };
  });

let stopping = false;

function start(service) {
  const child = spawn(process.execPath, [join(packageDir(service.name), 'dist', 'main.js')], {
    // Restarts wait for the old process: a short grace keeps them quick (override it as usual).
    // Every request in the log (production samples 1 in 100), as `make run`.
    env: { SHUTDOWN_GRACE_MS: '500', ACCESS_LOG_SAMPLE_RATE: '1', ...process.env, ...SERVICE_ENV[service.name] },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  pipeServiceLogs(child.stdout);
  child.on('exit', (code, signal) => {
    if (!stopping && service.child === child)
      say(`${service.name} exited (${signal ?? code}); the next change restarts it`);
  });
  service.child = child;
}

function stopService(service) {
  const child = service.child;
  service.child = undefined;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.on('close', done);
    child.kill('SIGTERM');
  });
}

/**
 * Restarts a service once for a burst of finished compilations (a library, then its users), and
 * one restart at a time: a burst during a restart queues one more after it.
 */
function restart(service, why) {
  clearTimeout(service.restartTimer);
  service.restartTimer = setTimeout(() => {
    service.queue = service.queue.then(async () => {
      if (stopping) return;
      say(`${why}: restarting ${service.name}`);
      await stopService(service);
      if (!stopping) start(service);
    });
  }, 150);
}

const compiling = new Set();
const packages = [...new Set(services.flatMap((service) => service.packages))];
function compiled(name, { initial, errors, output }) {
  if (errors > 0) {
    say(`${name}: ${errors} compile error(s); the running service keeps running\n${output.join('\n')}`);
  } else if (!initial) {
    for (const service of services) if (service.packages.includes(name)) restart(service, `${name} rebuilt`);
  }
  if (initial && compiling.delete(name) && compiling.size === 0) {
    for (const service of services) start(service);
    say(`watching ${packages.join(', ')}; Ctrl+C stops everything`);
  }
}

const compilers = new Map(packages.map((name) => [name, watchCompile(packageDir(name), (r) => compiled(name, r))]));
for (const name of packages) compiling.add(name);

// `make generate` deletes the generated code before writing it again, so a compiler watching it
// would report errors for states that never last. The contracts' compiler is stopped meanwhile and
// started afresh afterwards; its first result then counts as a change (restart or errors, once).
let generating = false;
let again = false;
let generator; // the running `make generate`, which stopping must end too
function generate() {
  if (stopping) return;
  if (generating) return void (again = true);
  generating = true;
  say('proto/ changed: make generate');
  const contracts = compilers.get('contracts');
  contracts?.stop();
  const make = spawn('make', ['--no-print-directory', '-C', root, 'generate'], {
    // Its output goes to stderr with the runner's own messages: stdout carries only service logs.
    stdio: ['ignore', 2, 2],
    // Its own process group: stopping ends make and whatever its recipes started (buf, tsc).
    detached: true,
  });
  generator = make;
  make.on('close', (code) => {
    generator = undefined;
    if (stopping) return;
    if (code !== 0) say('make generate failed; the running services keep running');
    if (contracts !== undefined && !stopping) {
      // Still initial if generation began before the first build finished.
      const initial = () => compiling.has('contracts');
      const restarted = watchCompile(packageDir('contracts'), (r) =>
        compiled('contracts', { ...r, initial: initial() }),
      );
      compilers.set('contracts', restarted);
    }
    generating = false;
    if (again) {
      again = false;
      generate();
    }
  });
}

const watchers = [];
const marketplace = services.find((service) => service.name === 'marketplace');
if (marketplace !== undefined && existsSync(join(packageDir('marketplace'), 'views'))) {
  watchers.push(watchFiles(join(packageDir('marketplace'), 'views'), () => restart(marketplace, 'views changed')));
}
if (existsSync(join(root, 'proto'))) watchers.push(watchFiles(join(root, 'proto'), generate));

function stopAll() {
  if (stopping) return;
  stopping = true;
  say('stopping');
  for (const watcher of watchers) watcher.stop();
  for (const compiler of compilers.values()) compiler.stop();
  Promise.all([...services.map(stopService), stopGenerator()]).then(() => process.exit(0));
}

function stopGenerator() {
  const make = generator;
  if (make === undefined) return Promise.resolve();
  return new Promise((done) => {
    make.on('close', done);
    try {
      process.kill(-make.pid, 'SIGTERM');
    } catch {
      done(); // the group has just exited
    }
  });
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
say(`compiling ${packages.join(', ')} (tsc --watch)`);
