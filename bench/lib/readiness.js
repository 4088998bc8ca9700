// Cold start: milliseconds from spawning `node dist/main.js` to ready.
const { credentials, makeClientConstructor } = require('@grpc/grpc-js');
const { service: healthService } = require('grpc-health-check');
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');

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

/** CPU time (user + system) a live process has used, in ms (`/proc/<pid>/stat`, 100 ticks a second). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawns the service and polls its readiness (gRPC health `readiness`, or `/readyz`) every 2 ms. */
async function coldStartMs(options) {
  return (await coldStart(options)).ms;
}

/**
 * As coldStartMs, with the CPU time the service used until then (`cpuMs`): on a machine other
 * work loads, the wall time includes waiting for a core, the CPU time does not. Then stopped by
 * `stopSignal` (SIGKILL unless told), waiting for its exit.
 */
async function coldStart({ script, env, kind, port, stopSignal = 'SIGKILL' }) {
  // Something already answering on the port would be measured instead of the new process.
  if (await (kind === 'grpc' ? grpcReady(port) : httpReady(port)))
    throw new Error(`port ${port} already answers: stop what is running there first`);
  const started = performance.now();
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
  try {
    for (;;) {
      if (await (kind === 'grpc' ? grpcReady(port) : httpReady(port)))
        return { ms: performance.now() - started, cpuMs: cpuMs(child.pid) };
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before it was ready`);
      if (performance.now() - started > 10_000) throw new Error(`${script} not ready after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    // A service that already exited (crashed at start) emits no second 'exit': do not wait for one.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(stopSignal);
      await exited;
    }
  }
}

module.exports = { coldStart, coldStartMs, grpcReady };
