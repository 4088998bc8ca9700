import { status as Status } from '@grpc/grpc-js';
import { startContractServer } from '../support/servers';
import { buildTestApp, html } from '../support/test-app';

describe('when Recommendations fails', () => {
  it('renders / and /books with an "unavailable" notice when nothing listens', async () => {
    const t = await buildTestApp({ address: '127.0.0.1:1', timeoutMs: 300 });
    try {
      for (const url of ['/', '/books']) {
        const response = await t.app.inject(url);
        expect(response.statusCode).toBe(200);
        const main = html(response.body).querySelector('main');
        expect(main?.text).toContain('unavailable');
        expect(main?.querySelectorAll('li.book')).toHaveLength(0);
      }
      const warnings = t.logs.filter((l) => l.level === 40 && typeof l.grpcCode === 'string');
      expect(warnings.map((w) => w.grpcCode)).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
    } finally {
      await t.close();
    }
  });

  it('degrades on an error status too, without leaking its details', async () => {
    const server = await startContractServer({
      recommend: (_call, callback) => callback({ code: Status.INTERNAL, details: 'secret internals' }),
      listBooks: (call) => call.emit('error', { code: Status.INTERNAL, details: 'secret internals' }),
    });
    const t = await buildTestApp({ address: server.address });
    try {
      const response = await t.app.inject('/');
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('unavailable');
      expect(response.body).not.toContain('secret');
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
