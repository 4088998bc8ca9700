// `make run`: starts the built Recommendations and Marketplace together; Ctrl+C stops both.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { pipeServiceLogs } = require('./service-logs');
const { tlsEnvironment } = require('./run-local-tls');

const root = join(__dirname, '..');
const recommendationsPort = process.env.RECOMMENDATIONS_PORT || '50051';
const tls = tlsEnvironment(process.env.TLS, join(root, 'certs'));
const services = [
  { name: 'recommendations', env: { PORT: recommendationsPort, ...tls.recommendations } },
  {
    name: 'marketplace',
    env: {
      PORT: process.env.PORT || '5000',
      RECOMMENDATIONS_ADDR: `localhost:${recommendationsPort}`,
      ...tls.marketplace,
    },
  },
];

let stopping = false;
const children = services.map(({ name, env }) => {
  const child = spawn(process.execPath, [join(root, 'packages', name, 'dist', 'main.js')], {
    // Every request in the log, so a person running it sees each one (production samples 1 in 100).
    env: { ACCESS_LOG_SAMPLE_RATE: '1', ...process.env, ...env },
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  pipeServiceLogs(child.stdout);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the bookstore`);
      stop(1);
    }
  });
  return child;
});

function stop(exitCode) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('close', r)) : null))).then(() =>
    process.exit(exitCode),
  );
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.error(`bookstore: open http://localhost:${services[1].env.PORT} (Ctrl+C stops both services)`);
