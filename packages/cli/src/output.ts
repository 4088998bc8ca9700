/** Where a command writes: stdout for results, stderr for failures. */
export interface Output {
  readonly json: boolean;
  out(line: string): void;
  err(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

type Cell = string | number;

/** A plain aligned table with a header row; numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (cells: readonly Cell[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return typeof cell === 'number' ? String(cell).padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
