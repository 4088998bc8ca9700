// Cold start: milliseconds from spawning `node dist/main.js` to ready.
const { credentials, makeClientConstructor } = require('@grpc/grpc-js');
const { service: healthService } = require('grpc-health-check');
const { spawn } = require('node:child_process');

const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');

function grpcReady(port) {
  const client = new HealthClient(`127.0.0.1:${port}`, credentials.createInsecure());
  return new Promise((resolve) => {
    client.check({ service: 'readiness' }, { deadline: Date.now() + 50 }, (error, response) => {
      client.close();
      resolve(!error && response.status === 'SERVING');
    });
  });
}

async function httpReady(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/** Spawns the service and polls its readiness (gRPC health `readiness`, or `/readyz`) every 2 ms. */
async function coldStartMs({ script, env, kind, port }) {
  // Something already answering on the port would be measured instead of the new process.
  if (await (kind === 'grpc' ? grpcReady(port) : httpReady(port)))
    throw new Error(`port ${port} already answers: stop what is running there first`);
  const started = performance.now();
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
  try {
    for (;;) {
      if (await (kind === 'grpc' ? grpcReady(port) : httpReady(port))) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before it was ready`);
      if (performance.now() - started > 10_000) throw new Error(`${script} not ready after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    // A service that already exited (crashed at start) emits no second 'exit': do not wait for one.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
}

module.exports = { coldStartMs };
