// Starting the measured processes: pinned to a core, ready when they say "listening".
const { rssMb: exactRssMb } = require('@bookstore/test-support');
const { spawn } = require('node:child_process');
const { openSync, readFileSync } = require('node:fs');
const { connect } = require('node:net');
const { tmpdir } = require('node:os');
const { basename, join } = require('node:path');

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `node <script>` on one core (taskset); resolves once `port` accepts connections. Its
 * stdout (the JSON logs, at the production level) goes to a file, as a container runtime would
 * take it, so the benchmark process spends nothing reading it.
 */
async function startPinned({ cpu, script, env = {}, port, nodeArgs = [] }) {
  const logFile = join(tmpdir(), `bench-${basename(script, '.js')}-${port}.log`);
  const child = spawn('taskset', ['-c', String(cpu), process.execPath, ...nodeArgs, script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
  });
  const started = Date.now();
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() - started > 10_000)
      throw new Error(`${script} did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return child;
}

/**
 * Resident set size of a process in MB, to 0.1 MB as the tables print it (the node process under
 * taskset is the same pid: taskset execs).
 */
const rssMb = (pid) => Math.round(exactRssMb(pid) * 10) / 10;

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** CPU time (user + system) a process has used, in µs, from /proc (clock ticks of 10 ms). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

module.exports = { startPinned, rssMb, stop, cpuMicros };
