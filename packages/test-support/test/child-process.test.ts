import { spawn } from 'node:child_process';
import { runToEnd } from '../src';

const node = (script: string) => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });

describe('runToEnd', () => {
  it('returns the exit code and all of stdout and stderr', async () => {
    const result = await runToEnd(
      node("process.stdout.write('out'.repeat(50000)); console.error('err'); process.exitCode = 3"),
    );
    expect(result).toEqual({ code: 3, stdout: 'out'.repeat(50000), stderr: 'err\n' });
  });

  it('kills a child still running after the timeout: code null', async () => {
    const started = performance.now();
    const result = await runToEnd(node("console.log('up'); setInterval(() => {}, 1000)"), 300);
    expect(result).toEqual({ code: null, stdout: 'up\n', stderr: '' });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
