import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { startOtlpReceiver } from './support/otlp-receiver';
import { loadPage } from './support/pages';
import type { ServiceProcess } from './support/processes';

const SERVER = 2;
const CLIENT = 3;

describe('W3C trace context with OpenTelemetry', () => {
  it('puts the page, the gRPC client call and the Recommendations handler in one trace', async () => {
    const receiver = await startOtlpReceiver();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    };
    let processes: ServiceProcess[] = [];
    try {
      const [replica] = await startReplicas(1, otel);
      const marketplace = await startMarketplace(`127.0.0.1:${replica?.port}`, otel);
      processes = [marketplace, replica as ServiceProcess];
      expect([marketplace.ready.tracing, replica?.ready.tracing]).toEqual([true, true]);

      // A browser (or ingress) that already started the trace.
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const page = await loadPage(`http://127.0.0.1:${marketplace.port}/`, {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      });
      expect(page.books).toHaveLength(3);

      // Each process exports on its own schedule (a batch 100 ms after a span ends), and the page
      // span ends last, after the response: wait for all three spans of the trace, not the first.
      const deadline = Date.now() + 5000;
      const find = () => {
        const spans = receiver.spans.filter((s) => s.traceId === traceId);
        return {
          pageSpan: spans.find((s) => s.service === 'marketplace' && s.kind === SERVER),
          rpcClient: spans.find(
            (s) => s.service === 'marketplace' && s.kind === CLIENT && s.name.includes('Recommend'),
          ),
          rpcServer: spans.find((s) => s.service === 'recommendations' && s.kind === SERVER),
        };
      };
      while (Date.now() < deadline && Object.values(find()).includes(undefined)) await sleep(100);

      const { pageSpan, rpcClient, rpcServer } = find();
      expect(pageSpan?.parentSpanId).toBe('00f067aa0ba902b7');
      expect(rpcClient?.parentSpanId).toBe(pageSpan?.spanId);
      expect(rpcServer?.name).toContain(`${RECOMMENDATION_SERVICE_NAME}/Recommend`);
      expect(rpcServer?.parentSpanId).toBe(rpcClient?.spanId);
    } finally {
      await stopAll(processes);
      await receiver.close();
    }
  });
});
