import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | undefined;

/**
 * One in-memory DuckDB per process; each caller gets its own connection (temp tables stay private).
 * The native module loads on first use, so commands that read no data do not pay for it at start-up.
 */
export async function connectDuckDb(): Promise<DuckDBConnection> {
  instance ??= import('@duckdb/node-api').then(({ DuckDBInstance }) => DuckDBInstance.create(':memory:'));
  return (await instance).connect();
}

/** Quote a string as an SQL literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
