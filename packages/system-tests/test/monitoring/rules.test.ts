import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadGroups, MONITORING, promtool, ROOT, RULE_TESTS_DIR, ruleFiles } from '../support/monitoring';

interface AlertTest {
  alertname: string;
  exp_alerts: unknown[];
}
const ruleTests = readdirSync(RULE_TESTS_DIR)
  .filter((f) => f.endsWith('.test.yaml'))
  .sort();
const alertTests: AlertTest[] = ruleTests.flatMap((f) =>
  (
    parse(readFileSync(join(RULE_TESTS_DIR, f), 'utf8')) as { tests: { alert_rule_test?: AlertTest[] }[] }
  ).tests.flatMap((t) => t.alert_rule_test ?? []),
);
const alerts = loadGroups().flatMap((g) => g.rules.filter((r) => r.alert !== undefined));

/** GitHub's anchor for a markdown heading. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describe('the Prometheus rules in monitoring/rules', () => {
  it('pass promtool check rules', () => {
    const { status, output } = promtool(['check', 'rules', ...ruleFiles()]);
    expect(output).not.toContain('FAILED');
    expect(status).toBe(0);
  });

  it('pass their promtool unit tests (monitoring/tests)', () => {
    const { status, output } = promtool(['test', 'rules', ...ruleTests.map((f) => join('tests', f))]);
    expect(output).not.toContain('FAILED');
    expect(status).toBe(0);
  }, 180_000);

  it('have, for every alert, a test where it fires and one where it must not', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(14);
    for (const { alert } of alerts) {
      const tests = alertTests.filter((t) => t.alertname === alert);
      expect([alert, tests.some((t) => t.exp_alerts.length > 0)]).toEqual([alert, true]);
      expect([alert, tests.some((t) => t.exp_alerts.length === 0)]).toEqual([alert, true]);
    }
  });

  it('give every alert a summary, a description and a runbook section in docs/slos.md', () => {
    const headings = new Set(
      readFileSync(join(ROOT, 'docs', 'slos.md'), 'utf8')
        .split('\n')
        .filter((line) => /^#{2,4} /.test(line))
        .map((line) => anchor(line.replace(/^#+ /, ''))),
    );
    for (const rule of alerts) {
      const annotations = rule.annotations ?? {};
      expect([rule.alert, Object.keys(annotations).sort()]).toEqual([
        rule.alert,
        ['description', 'runbook', 'summary'],
      ]);
      expect(annotations.runbook).toBe(`docs/slos.md#${(rule.alert ?? '').toLowerCase()}`);
      expect([rule.alert, headings.has((rule.alert ?? '').toLowerCase())]).toEqual([rule.alert, true]);
      expect(['page', 'ticket', 'warning']).toContain(rule.labels?.severity);
    }
  });

  it('fail their unit tests when a burn-rate threshold is wrong (so the tests above can fail)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'rules-'));
    try {
      cpSync(MONITORING, scratch, { recursive: true });
      const file = join(scratch, 'rules', 'slo-recommend-availability.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('(14.4 * 0.001)', '(1.44 * 0.001)'));
      const run = promtool(['test', 'rules', join(scratch, 'tests', 'slo-recommend-availability.test.yaml')]);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('alertname: RecommendAvailabilityFastBurn, time: 6h30m');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});
