/** Timing helpers and the table `npm run bench` prints. */
export interface Row {
  what: string;
  value: number;
  unit: string;
  note: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function timeSync(runs: number, body: () => unknown): number {
  for (let warm = 0; warm < 3; warm++) body();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    body();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

export async function timeAsync(runs: number, body: () => Promise<unknown>): Promise<number> {
  await body();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    await body();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

export function printTable(rows: readonly Row[]): void {
  const format = (row: Row) => (row.value >= 100 ? row.value.toFixed(0) : row.value.toFixed(2)) + ' ' + row.unit;
  const widths = [
    Math.max(...rows.map((row) => row.what.length), 9),
    Math.max(...rows.map((row) => format(row).length), 6),
  ];
  const line = (cells: string[]) =>
    `| ${cells[0]!.padEnd(widths[0]!)} | ${cells[1]!.padStart(widths[1]!)} | ${cells[2]} |`;
  console.log(line(['benchmark', 'median', 'note']));
  console.log(`|${'-'.repeat(widths[0]! + 2)}|${'-'.repeat(widths[1]! + 2)}|------|`);
  for (const row of rows) console.log(line([row.what, format(row), row.note]));
}
