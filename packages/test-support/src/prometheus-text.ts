/**
 * The value of the first sample of `name` whose labels include `labels`, from Prometheus text
 * format; undefined when there is none. For tests and benchmark scripts that read /metrics.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const bare = line.startsWith(`${name} `);
    if (!bare && !line.startsWith(`${name}{`)) continue;
    const present = bare ? [] : line.slice(name.length + 1, line.indexOf('}')).split(',');
    if (wanted.every((w) => present.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** The Prometheus text a `/metrics` endpoint on loopback serves. */
export async function fetchMetricsText(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}
