import { accessLogDecision, type AccessLogPolicy } from '@bookstore/service-kit';
import fp from 'fastify-plugin';
import type { Counter } from 'prom-client';
import { createClientErrorBudget } from './client-error-budget';
import { serviceTimeMs } from './service-time';

/** How much of a request's URL a log line keeps; the length says how much there was. */
export const LOGGED_URL_LENGTH = 256;

export interface AccessLogOptions {
  readonly policy: AccessLogPolicy;
  /** Client errors (4xx) logged each second before the rest are sampled at `policy.sampleRate`. */
  readonly clientErrorsPerSecond: number;
  /** Counts the lines the client-error budget held back; none in tests that do not look. */
  readonly suppressed?: Counter;
  /** Draws the sample (Math.random unless a test seeds it). */
  readonly random?: () => number;
}

/** The URL as a line carries it: at most LOGGED_URL_LENGTH characters, with its length when cut. */
function loggedUrl(url: string): { url: string; urlLength?: number } {
  return url.length <= LOGGED_URL_LENGTH ? { url } : { url: url.slice(0, LOGGED_URL_LENGTH), urlLength: url.length };
}

/**
 * The access log: one `request completed` line when a response is sent, for every request that
 * failed (4xx, 5xx) or was slow and for a sample of the rest (`ACCESS_LOG_*`; the totals are in
 * `http_request_duration_seconds`). A route's logLevel applies (the probes log at warn), and the
 * line carries the request id like every line of the request. fastify's own two lines per
 * request are off (`disableRequestLogging` in app.ts).
 *
 * What a client controls stays bounded (issue 25: 2,000 requests with a 15 KB URL wrote 30.5 MB,
 * the whole URL on each line): the URL is cut to 256 characters, and 4xx lines past
 * `clientErrorsPerSecond` are sampled like successes, the rest counted in
 * `marketplace_access_log_suppressed_total` and the next 4xx line says how many it follows.
 * 5xx are the service's own failures: always logged. The rate limit's 429s get no line at all.
 * `durationMs` (and so "slow") leaves out the time a pipelined request waited for its turn on
 * its connection (service-time.ts), as `http_request_duration_seconds` does.
 */
export const accessLog = fp<AccessLogOptions>(
  async (app, options) => {
    const shouldLog = accessLogDecision(options.policy, options.random);
    const clientErrors = createClientErrorBudget({
      perSecond: options.clientErrorsPerSecond,
      sampleRate: options.policy.sampleRate,
      random: options.random,
    });
    app.addHook('onResponse', (request, reply, done) => {
      const durationMs = Math.round(serviceTimeMs(request, reply) * 1000) / 1000;
      const { statusCode } = reply;
      // Only the rate limit answers 429, and only to a client past its budget: a flood of them
      // is counted in marketplace_http_rate_limited_total, never a line each (http/rate-limit.ts).
      if (statusCode === 429) return done();
      const clientError = statusCode >= 400 && statusCode < 500;
      const suppressedBefore = clientError ? clientErrors.take() : 0;
      if (suppressedBefore < 0) {
        options.suppressed?.inc();
      } else if (clientError || shouldLog(statusCode >= 400, durationMs)) {
        request.log.info(
          {
            method: request.method,
            ...loggedUrl(request.url),
            statusCode,
            durationMs,
            remoteAddress: request.ip,
            ...(suppressedBefore > 0 ? { clientErrorsSuppressed: suppressedBefore } : {}),
          },
          'request completed',
        );
      }
      done();
    });
  },
  { name: 'access-log' },
);
