import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { requireBinary, type RuleGroup } from './monitoring';
import { eventually, freePort } from '@bookstore/test-support'; // Prometheus cannot listen on port 0 and report the port it got

export interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

export interface PrometheusProcess {
  readonly url: string;
  /** Instant query; the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  alerts(): Promise<Alert[]>;
  /** Resolves once every rule group has been evaluated `times` more times (at most 30 s). */
  evaluated(times: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Debian's `prometheus` on loopback, scraping `targets` (job → host:port list) every second and
 * evaluating `groups` every second, with its data in a scratch directory removed on stop.
 */
export async function startPrometheus(options: {
  targets: Record<string, string[]>;
  groups: RuleGroup[];
}): Promise<PrometheusProcess> {
  const binary = requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: options.groups }));
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [join(dir, 'rules.yaml')],
    scrape_configs: Object.entries(options.targets).map(([job, targets]) => ({
      job_name: job,
      static_configs: [{ targets }],
    })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const api = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`${url}${path}`)).json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
    return body.data;
  };
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
    if (waited > 15_000) {
      await stop();
      throw new Error(`prometheus not ready after 15 s: ${stderr}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await sleep(100);
  }
  return {
    url,
    query: async (expr) =>
      (
        await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
          `/api/v1/query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    alerts: async () => (await api<{ alerts: Alert[] }>('/api/v1/alerts')).alerts,
    async evaluated(times) {
      const lastEvaluations = async () =>
        (await api<{ groups: { lastEvaluation: string }[] }>('/api/v1/rules')).groups.map((g) =>
          Date.parse(g.lastEvaluation),
        );
      for (let i = 0; i < times; i += 1) {
        // Each group's next evaluation starts after the latest one seen now.
        const since = Math.max(...(await lastEvaluations()));
        const newer = () => lastEvaluations().then((all) => all.every((at) => at > since));
        if (!(await eventually(newer, 30_000, 100))) throw new Error('prometheus evaluated no rules for 30 s');
      }
    },
    stop,
  };
}
