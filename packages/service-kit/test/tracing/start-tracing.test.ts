import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs startTracing from the build in a fresh Node process and counts the OpenTelemetry modules it loaded. */
function modulesLoadedWith(env: Record<string, string>): number {
  const script = `
    const tracing = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'tracing', 'index.js'))})
      .startTracing({ serviceName: 'probe', env: ${JSON.stringify(env)} });
    const loaded = Object.keys(require.cache).filter((path) => path.includes('@opentelemetry')).length;
    process.stdout.write(String(loaded));
    if (tracing) tracing.shutdown();
  `;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe('startTracing', () => {
  it('loads no OpenTelemetry module when OTEL_EXPORTER_OTLP_ENDPOINT is unset', () => {
    expect(modulesLoadedWith({})).toBe(0);
  });

  it('starts the SDK when it is set', () => {
    expect(modulesLoadedWith({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBeGreaterThan(10);
  });
});
