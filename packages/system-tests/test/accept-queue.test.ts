import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { acceptQueue, eventually } from './support/hostile';

/**
 * openConnections paces its floods by `acceptQueue` (support/hostile.ts). If the kernel's table
 * format moved and the reading came back 0, the pacing would silently do nothing: this test fails
 * instead.
 */
describe('acceptQueue reads a listener’s accept queue from /proc/net/tcp', () => {
  it('counts the connections a busy process has not accepted yet, and none once it has', async () => {
    // A listener whose event loop is busy from when it listens until the flag file exists: the
    // kernel completes the handshakes, nobody accepts.
    const flag = join(mkdtempSync(join(tmpdir(), 'accept-queue-')), 'go');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:net').createServer(() => undefined);
         s.listen(0, '127.0.0.1', () => {
           console.log(s.address().port);
           const until = Date.now() + 30000;
           while (!require('node:fs').existsSync(${JSON.stringify(flag)}) && Date.now() < until);
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const sockets: Socket[] = [];
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const port = Number(line.toString().trim());
      expect(acceptQueue(port)).toBe(0);
      for (let i = 0; i < 20; i += 1) sockets.push(connect({ host: '127.0.0.1', port }).on('error', () => undefined));
      await Promise.all(sockets.map((s) => once(s, 'connect')));
      expect(acceptQueue(port)).toBe(20);
      writeFileSync(flag, '');
      expect(await eventually(() => acceptQueue(port) === 0, 5000)).toBe(true);
    } finally {
      sockets.forEach((s) => s.destroy());
      child.kill();
      rmSync(dirname(flag), { recursive: true, force: true });
    }
  });
});
