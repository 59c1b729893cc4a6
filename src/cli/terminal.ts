/** The width text output wraps at when none is known: a classic terminal, and what pipes and CI logs get. */
export const DEFAULT_COLUMNS = 80;

/**
 * The columns to fit: the terminal's own width when writing to one, else `COLUMNS` when set (a shell
 * exports it on request; CI logs and pipes have no width), else 80.
 */
export function terminalWidth(stream: { columns?: number; isTTY?: boolean }, env: NodeJS.ProcessEnv): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return DEFAULT_COLUMNS;
}
