import { accessLogDecision, type AccessLogPolicy } from '@bookstore/service-kit';
import fp from 'fastify-plugin';

export interface AccessLogOptions {
  readonly policy: AccessLogPolicy;
  /** Draws the sample (Math.random unless a test seeds it). */
  readonly random?: () => number;
}

/**
 * The access log: one `request completed` line when a response is sent, for every request that
 * failed (4xx, 5xx) or was slow and for a sample of the rest (`ACCESS_LOG_*`; the totals are in
 * `http_request_duration_seconds`). A route's logLevel applies (the probes log at warn), and the
 * line carries the request id like every line of the request. fastify's own two lines per
 * request are off (`disableRequestLogging` in app.ts).
 */
export const accessLog = fp<AccessLogOptions>(
  async (app, options) => {
    const shouldLog = accessLogDecision(options.policy, options.random);
    app.addHook('onResponse', (request, reply, done) => {
      const durationMs = Math.round(reply.elapsedTime * 1000) / 1000;
      if (shouldLog(reply.statusCode >= 400, durationMs)) {
        request.log.info(
          {
            method: request.method,
            url: request.url,
            statusCode: reply.statusCode,
            durationMs,
            remoteAddress: request.ip,
          },
          'request completed',
        );
      }
      done();
    });
  },
  { name: 'access-log' },
);
