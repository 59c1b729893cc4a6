import { wrap } from "../report/common";

/** How a table fits a terminal. */
export interface TableOptions {
  /**
   * Columns the table may take (the terminal's width). A table wider than this keeps its leading columns
   * (callers order them by importance) on the row's line and moves the others below it, as
   * `name: value` (the last one, a sentence, without its name), wrapped at the width.
   */
  width?: number;
}

const GAP = "  ";

function aligned(columns: readonly string[], rows: readonly string[][], widths: readonly number[]): string[] {
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(GAP).trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** A plain aligned table for a terminal: header, rule, rows; narrower than `width` when one is given. */
export function renderTable(columns: readonly string[], rows: readonly string[][], options: TableOptions = {}): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const total = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  const width = options.width;
  if (width === undefined || total <= width) return aligned(columns, rows, widths).join("\n");

  // Keep the leading columns that fit (at least the first), move the rest below each row.
  let kept = 1;
  for (let used = widths[0]!; kept < columns.length && used + GAP.length + widths[kept]! <= width; kept++) used += GAP.length + widths[kept]!;
  const indent = " ".repeat(Math.min(widths[0]! + GAP.length, 8));
  const out = aligned(columns.slice(0, kept), [], widths.slice(0, kept));
  for (const row of rows) {
    out.push(aligned(columns.slice(0, kept), [row.slice(0, kept)], widths.slice(0, kept))[2]!);
    const moved = columns.slice(kept).flatMap((name, j) => {
      const value = (row[kept + j] ?? "").trim();
      if (value === "") return [];
      return [kept + j === columns.length - 1 ? value : `${name}: ${value}`];
    });
    if (moved.length > 0) out.push(...wrap(moved.join("; "), Math.max(20, width - indent.length)).map((l) => `${indent}${l}`));
  }
  return out.join("\n");
}

/** RFC 4180 CSV: quote a field when it holds a comma, a quote or a line break. */
export function toCsv(columns: readonly string[], rows: readonly string[][]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [columns, ...rows].map((row) => row.map(field).join(",")).join("\r\n");
}
