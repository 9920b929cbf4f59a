// What DuckDB (1.5, through @duckdb/node-api) should show for a column described by the
// fixture manifest, including where DuckDB's own types or renderings differ from the file.
// Each such difference is a documented DuckDB behaviour, named in `limitations` and printed
// by the scripts, and the check is adjusted exactly to it, never loosened beyond it.

export const limitations = {
  bssNonFloat:
    'DuckDB decodes BYTE_STREAM_SPLIT only for FLOAT/DOUBLE (error "only supported for FLOAT ' +
    'or DOUBLE data"); INT32/INT64/FIXED_LEN_BYTE_ARRAY columns in that encoding are left ' +
    'out of its queries (hyparquet and Strata read them)',
  timestampNanosUtc:
    'DuckDB has no TIMESTAMP_NS WITH TIME ZONE: TIMESTAMP(NANOS, UTC) reads as TIMESTAMPTZ ' +
    'in microseconds, truncated toward zero; values are compared at that precision here ' +
    '(hyparquet and Strata compare all nine digits)',
  infiniteFloatStats:
    'parquet_metadata() shows NULL for a FLOAT/DOUBLE bound that is +-Infinity (the bound is ' +
    'in the file: hyparquet checks it)',
  kvNoValue:
    'parquet_kv_metadata() shows a key without a value as an empty value (hyparquet tells ' +
    'the two apart)',
  blobBloomProbe:
    'parquet_bloom_probe() misses BLOB values holding bytes outside printable ASCII or ' +
    'quotes or backslashes, even in files DuckDB wrote itself; BLOB columns are probed with ' +
    'such plain values only ' +
    '(hyparquet checks every value of every filter)',
  intTypeRendering:
    'parquet_schema() renders IntType bitWidth as a raw character (bitWidth=\\b for 8); the ' +
    'expected text is built the same way',
};

// The DuckDB type name a manifest column reads as.
export function duckdbType(column) {
  const logical = column.logical_type;
  switch (column.kind) {
    case 'bool':
      return 'BOOLEAN';
    case 'int':
    case 'uint': {
      const width = logical ? logical.bit_width : column.physical === 'INT32' ? 32 : 64;
      const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[width];
      return column.kind === 'uint' ? `U${name}` : name;
    }
    case 'float':
      return column.physical === 'FLOAT' ? 'FLOAT' : 'DOUBLE';
    case 'string':
      return 'VARCHAR';
    case 'binary':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'timestamp':
      // UTC-adjusted timestamps are instants: TIMESTAMP WITH TIME ZONE, whatever the unit.
      return 'TIMESTAMP WITH TIME ZONE';
    default:
      throw new Error(`unknown column kind ${column.kind}`);
  }
}

// DuckDB's parquet_schema().logical_type text for a manifest logical type (or null).
export function duckdbLogicalTypeText(logical) {
  if (!logical) return null;
  switch (logical.type) {
    case 'STRING':
      return 'StringType()';
    case 'DATE':
      return 'DateType()';
    case 'INTEGER':
      return `IntType(bitWidth=${String.fromCharCode(logical.bit_width)}, ` +
             `isSigned=${logical.is_signed ? 1 : 0})`;
    case 'TIMESTAMP': {
      const unit = (name, member) => (logical.unit === name ? `${member}()` : '<null>');
      return `TimestampType(isAdjustedToUTC=${logical.is_adjusted_to_utc ? 1 : 0}, ` +
             `unit=TimeUnit(MILLIS=${unit('MILLIS', 'MilliSeconds')}, ` +
             `MICROS=${unit('MICROS', 'MicroSeconds')}, NANOS=${unit('NANOS', 'NanoSeconds')}))`;
    }
    default:
      throw new Error(`unknown logical type ${logical.type}`);
  }
}

// Whether DuckDB can decode this column of this file (see limitations.bssNonFloat).
export function duckdbDecodes(file, columnIndex) {
  const column = file.columns[columnIndex];
  if (column.physical === 'FLOAT' || column.physical === 'DOUBLE') return true;
  return !file.row_groups.some((rg) =>
    rg.columns[columnIndex].encodings.includes('BYTE_STREAM_SPLIT'));
}

// The canonical value DuckDB shows for an expected canonical value of this column.
export function asDuckDBShows(column, value) {
  if (value === null) return null;
  if (column.kind === 'timestamp' && column.logical_type.unit === 'NANOS') {
    return String((BigInt(value) / 1000n) * 1000n); // BigInt division truncates toward zero
  }
  return value;
}
