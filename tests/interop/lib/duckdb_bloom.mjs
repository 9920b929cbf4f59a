// DuckDB's parquet_bloom_probe() against Strata's split-block bloom filters: every value a
// row group holds must be reported as possibly present (a bloom filter has no false
// negatives), and values it does not hold must mostly be excluded, at about the false
// positive probability the filters were sized for. Absent values are random values of the
// column's type checked against the whole file's values.
import { randomBytes } from 'node:crypto';
import { queryObjects, sqlString } from './duckdb.mjs';
import { duckdbType, limitations } from './duckdb_expect.mjs';

const kPresentPerRowGroup = 40;
const kAbsentProbes = 300;
const kProbesPerQuery = 100;
// A filter sized for fpp 0.01 that excludes fewer than 95% of absent values is broken (or
// sized wrongly); 300 probes at 1% give about 3 false positives.
const kMaxFalsePositiveRate = 0.05;

// A SQL literal of the column's DuckDB type for a canonical value.
function literal(column, value) {
  const type = duckdbType(column);
  if (column.kind === 'binary') return `from_hex(${sqlString(value)})`;
  if (column.kind === 'date') return `(DATE '1970-01-01' + ${Number(value)})`;
  return `CAST(${sqlString(value)} AS ${type})`;
}

// Whether DuckDB can probe this canonical value (see limitations.blobBloomProbe).
function probeable(column, value) {
  if (value === null) return false;
  if (column.kind === 'float') return Number.isFinite(Number(value));
  if (column.kind === 'binary') {
    const quotes = [0x22, 0x27, 0x5c]; // double quote, single quote, backslash
    return Buffer.from(value, 'hex').every((b) => b >= 0x20 && b < 0x7f && !quotes.includes(b));
  }
  return true;
}

// A random canonical value of the column's type (not necessarily absent).
function randomValue(column) {
  const bits = randomBytes(8).readBigUInt64LE();
  const width = column.logical_type?.bit_width ?? (column.physical === 'INT32' ? 32 : 64);
  switch (column.kind) {
    case 'int':
      return String(BigInt.asIntN(width, bits));
    case 'uint':
      return String(BigInt.asUintN(width, bits));
    case 'float':
      return String((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 12));
    case 'string':
      return `absent-${bits}`;
    case 'binary': // printable, so DuckDB can probe it
      return Buffer.from(randomBytes(column.type_length ?? 9).toString('base64')
        .slice(0, column.type_length ?? 12)).toString('hex');
    case 'date':
      return String(Number(bits % 3000000n) - 700000);
    default:
      throw new Error(`no random value for kind ${column.kind}`);
  }
}

// Probes values; returns, per probe, the set of row groups the filter says may hold it.
async function probe(connection, file, column, values) {
  const mayContain = values.map(() => new Set());
  for (let at = 0; at < values.length; at += kProbesPerQuery) {
    const batch = values.slice(at, at + kProbesPerQuery);
    const sql = batch.map((v, i) =>
      `SELECT ${at + i} AS probe, row_group_id, bloom_filter_excludes FROM ` +
      `parquet_bloom_probe(${sqlString(file.path)}, ${sqlString(column.name)}, ${literal(column, v)})`)
      .join(' UNION ALL ');
    for (const row of await queryObjects(connection, sql)) {
      if (!row.bloom_filter_excludes) mayContain[Number(row.probe)].add(Number(row.row_group_id));
    }
  }
  return mayContain;
}

export async function checkBloomFilters(connection, file, checker) {
  for (const [c, column] of file.columns.entries()) {
    const present = file.rows.map((row) => row[c]);
    const inFile = new Set(present);
    const what = `bloom ${file.name}.${column.name}`;

    // Present values: a sample of each row group's own values.
    for (const [g, rg] of file.row_groups.entries()) {
      const values = [...new Set(present.slice(rg.first_row, rg.first_row + rg.num_rows))];
      const own = values.filter((v) => probeable(column, v)).slice(0, kPresentPerRowGroup);
      if (column.kind === 'binary') checker.note(limitations.blobBloomProbe);
      const result = await probe(connection, file, column, own);
      own.forEach((v, i) => {
        checker.ok(result[i].has(g),
                   `${what}: row group ${g} holds ${JSON.stringify(v)} but the probe excludes it`);
      });
      checker.count('bloom probes of present values', own.length);
      if (column.bloom_filter && own.length === 0) {
        console.log(`  ${what}: no value DuckDB can probe in row group ${g} (hyparquet checks it)`);
      }
    }

    // Absent values. A narrow type (int8) may hold nearly every value of its domain, so
    // the search is bounded; such a column has no filter in the fixture.
    const absent = [];
    for (let tries = 0; absent.length < kAbsentProbes && tries < 100 * kAbsentProbes; tries++) {
      const v = randomValue(column);
      if (!inFile.has(v)) absent.push(v);
    }
    const result = await probe(connection, file, column, absent);
    const falsePositives = result.reduce((n, groups) => n + groups.size, 0);
    const probes = absent.length * file.row_groups.length;
    checker.count('bloom probes of absent values', probes);
    if (column.bloom_filter) {
      checker.equal(absent.length, kAbsentProbes, `${what}: absent values found`);
      const rate = falsePositives / probes;
      checker.ok(rate <= kMaxFalsePositiveRate,
                 `${what}: ${falsePositives} of ${probes} absent probes not excluded ` +
                 `(rate ${rate.toFixed(3)}, sized for ${column.bloom_filter_fpp})`);
      console.log(`  ${what}: ${probes - falsePositives}/${probes} absent values excluded ` +
                  `(false positive rate ${rate.toFixed(4)}, fpp ${column.bloom_filter_fpp})`);
    } else {
      // Without a filter nothing can be excluded.
      checker.equal(falsePositives, probes, `${what}: a column without a bloom filter excluded values`);
    }
  }
}
