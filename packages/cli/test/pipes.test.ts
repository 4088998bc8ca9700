import { once } from 'node:events';
import { startRecommendations, type RunningServer } from './support/recommendations-server';
import { spawnCli } from './support/run-cli';

/** Runs the CLI with its stdout reader gone before it writes (`bookstore … | head` after head exits). */
async function withClosedStdout(args: string[], env: Record<string, string> = {}) {
  const child = spawnCli(args, env);
  child.stdout?.destroy();
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('a reader that goes away', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startRecommendations();
  });
  afterAll(() => server.stop());

  it('--help ends quietly, without an EPIPE stack trace', async () => {
    expect(await withClosedStdout(['--help'])).toEqual({ code: 0, stderr: '' });
  });

  it('books ends quietly too', async () => {
    const result = await withClosedStdout(['books'], { RECOMMENDATIONS_ADDR: server.address });
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});
