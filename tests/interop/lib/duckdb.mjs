// A DuckDB connection for the interop tests, and small SQL helpers.
import { DuckDBInstance } from '@duckdb/node-api';
import { fromDuckDB, kindOfDuckDBType } from './canonical.mjs';

// An in-memory database on two threads (the test machines have two cores), in UTC so
// timestamps with time zone render and parse without a local offset.
export async function openDuckDB() {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}

// A SQL string literal.
export function sqlString(s) {
  return `'${String(s).replaceAll("'", "''")}'`;
}

// A quoted SQL identifier.
export function sqlIdent(s) {
  return `"${String(s).replaceAll('"', '""')}"`;
}

// Runs a query; returns column names, DuckDB type ids and type names, and the rows as
// canonical values.
export async function queryCanonical(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const typeIds = types.map((t) => t.typeId);
  const rows = reader.getRows().map((row) => row.map((v, i) => fromDuckDB(v, typeIds[i])));
  return {
    names,
    typeIds,
    typeNames: types.map((t) => t.toString()),
    kinds: typeIds.map(kindOfDuckDBType),
    rows,
  };
}

// Runs a query and returns its rows as objects of JSON-safe values (bigints as strings).
export async function queryObjects(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}
