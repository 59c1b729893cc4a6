/** A plain aligned table for a terminal: header, rule, rows. */
export function renderTable(columns: readonly string[], rows: readonly string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** RFC 4180 CSV: quote a field when it holds a comma, a quote or a line break. */
export function toCsv(columns: readonly string[], rows: readonly string[][]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [columns, ...rows].map((row) => row.map(field).join(",")).join("\r\n");
}
