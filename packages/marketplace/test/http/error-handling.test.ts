import pino from 'pino';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { html } from '../support/test-app';

describe('server errors', () => {
  it('render a generic 500 page without the error, and log it with its stack', async () => {
    const logs: string[] = [];
    const app = await buildApp({
      config: loadConfig({}),
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) }),
      recommendations: {
        recommend: async () => {
          throw new Error('database password is hunter2');
        },
        listBooks: async () => ({ available: true, value: { books: [], catalogVersion: undefined } }),
        getBook: async () => ({ available: false }),
        openRecordEvents: () => {
          throw new Error('not used');
        },
        waitForReady: async () => true,
        close: () => undefined,
      },
      readerEvents: { viewed: () => undefined },
    });
    try {
      const response = await app.inject('/');
      expect(response.statusCode).toBe(500);
      expect(html(response.body).querySelector('h1')?.text).toBe('Something went wrong');
      expect(response.body).not.toContain('hunter2');
      expect(response.body).not.toMatch(/at \w+ \(/);
      const api = await app.inject('/api/v1/recommendations');
      expect(api.statusCode).toBe(500);
      expect(api.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'The page could not be shown. Please try again in a moment.',
      });
      expect(logs.filter((l) => l.includes('hunter2') && l.includes('"stack"'))).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
