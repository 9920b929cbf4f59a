// The canonical value form shared with the C++ fixture (tests/interop/fixture_json.h):
// integers, dates (days) and timestamps (nanoseconds since the epoch) as decimal strings,
// floats as "NaN"/"Infinity"/"-Infinity"/"-0" or a decimal, strings as text, binary as
// lower-case hex, booleans and null as themselves. Each reader's values are brought to this
// form and compared; floats are compared as numbers (Object.is, so NaN equals NaN and -0.0
// differs from +0.0), since two correct decimal renderings of one double may differ as text.
import { DuckDBTypeId } from '@duckdb/node-api';

export function hex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function floatText(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (Object.is(x, -0)) return '-0';
  return String(x); // "Infinity", "-Infinity" or the shortest round-trip decimal
}

// Whether two canonical values of a column of this kind are the same value.
export function sameValue(kind, a, b) {
  if (a === null || b === null) return a === b;
  if (kind === 'float') return Object.is(Number(a), Number(b));
  return a === b;
}

// Converts one value as @duckdb/node-api returns it (runAndReadAll().getRows()) for a column
// of this DuckDB type id.
export function fromDuckDB(value, typeId) {
  if (value === null || value === undefined) return null;
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return value;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
      return String(value); // numbers up to 32 bits, bigints beyond: exact either way
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return floatText(value);
    case DuckDBTypeId.VARCHAR:
      return value;
    case DuckDBTypeId.BLOB:
      return hex(value.bytes);
    case DuckDBTypeId.DATE:
      return String(value.days);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return String(value.micros * 1000n);
    case DuckDBTypeId.TIMESTAMP_MS:
      return String(value.millis * 1000000n);
    case DuckDBTypeId.TIMESTAMP_S:
      return String(value.seconds * 1000000000n);
    case DuckDBTypeId.TIMESTAMP_NS:
      return String(value.nanos);
    case DuckDBTypeId.UUID:
      return value.toString().replaceAll('-', ''); // its 16 bytes in order, as hex
    default:
      throw new Error(`no canonical form for DuckDB type id ${typeId}`);
  }
}

// The kind (how values compare) of a DuckDB column type id.
export function kindOfDuckDBType(typeId) {
  return typeId === DuckDBTypeId.FLOAT || typeId === DuckDBTypeId.DOUBLE ? 'float' : 'exact';
}

// Compares two row lists (arrays of canonical values), reporting at most a few mismatching
// cells per file. kinds[i] is the kind of column i; names[i] its name.
export function compareRows(checker, what, names, kinds, actual, expected) {
  checker.count('rows compared', expected.length);
  checker.count('values compared', expected.length * names.length);
  if (actual.length !== expected.length) {
    checker.fail(`${what}: ${actual.length} rows, expected ${expected.length}`);
  }
  let reported = 0;
  const n = Math.min(actual.length, expected.length);
  for (let r = 0; r < n && reported < 5; r++) {
    for (let c = 0; c < names.length && reported < 5; c++) {
      if (!sameValue(kinds[c], actual[r][c], expected[r][c])) {
        checker.fail(`${what}: row ${r} column ${names[c]}: got ${JSON.stringify(actual[r][c])}, ` +
                     `expected ${JSON.stringify(expected[r][c])}`);
        reported++;
      }
    }
  }
}
