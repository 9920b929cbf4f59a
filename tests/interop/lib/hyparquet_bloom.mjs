// Strata's bloom filters read and probed with hyparquet's split-block filter and XXH64
// (internal modules, imported by path; the version is pinned): every value a row group holds
// must be found, and random values it does not hold must mostly be rejected. Values are
// hashed in their PLAIN encoding, as the format specifies, built here from the canonical
// values of the fixture's expected rows.
import { randomBytes } from 'node:crypto';
import { readBloomFilter, sbbfContains } from '../node_modules/hyparquet/src/bloom.js';
import { xxhash64 } from '../node_modules/hyparquet/src/xxhash.js';

const kAbsentProbes = 1000;
const kMaxFalsePositiveRate = 0.05; // filters sized for 1%; see duckdb_bloom.mjs

const kUnitNanos = { MILLIS: 1000000n, MICROS: 1000n, NANOS: 1n };

// The PLAIN encoding of a canonical value of the column (byte arrays without the length).
function plain(column, value) {
  const b = Buffer.alloc(8);
  switch (column.physical) {
    case 'INT32':
      b.writeUInt32LE(Number(BigInt.asUintN(32, BigInt(value))));
      return b.subarray(0, 4);
    case 'INT64': {
      const n = column.kind === 'timestamp'
        ? BigInt(value) / kUnitNanos[column.logical_type.unit] : BigInt(value);
      b.writeBigUInt64LE(BigInt.asUintN(64, n));
      return b;
    }
    case 'FLOAT':
      b.writeFloatLE(Number(value));
      return b.subarray(0, 4);
    case 'DOUBLE':
      b.writeDoubleLE(Number(value));
      return b;
    default:
      return column.kind === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value, 'hex');
  }
}

const hashOf = (column, value) => xxhash64(new Uint8Array(plain(column, value)));

function randomCanonical(column) {
  const bits = randomBytes(8).readBigUInt64LE();
  switch (column.kind) {
    case 'string':
      return `absent-${bits}`;
    case 'binary':
      return randomBytes(column.type_length ?? 11).toString('hex');
    case 'float':
      return String(Math.random() * 1e9);
    default:
      return String(column.physical === 'INT32' ? BigInt.asIntN(32, bits) : BigInt.asIntN(64, bits));
  }
}

export function checkBloomFilters(arrayBuffer, metadata, file, checker) {
  file.columns.forEach((column, c) => {
    const inFile = new Set(file.rows.map((row) => row[c]));
    let probes = 0;
    let falsePositives = 0;
    metadata.row_groups.forEach((rg, g) => {
      const meta = rg.columns[c].meta_data;
      const what = `${file.name}: row group ${g} column ${column.name}`;
      checker.equal(meta.bloom_filter_offset !== undefined, column.bloom_filter, `${what}: bloom filter`);
      if (meta.bloom_filter_offset === undefined) return;
      const filter = readBloomFilter({ view: new DataView(arrayBuffer), offset: Number(meta.bloom_filter_offset) });
      if (!checker.ok(filter !== undefined, `${what}: unreadable bloom filter header`)) return;
      const info = file.row_groups[g];
      for (let r = info.first_row; r < info.first_row + info.num_rows; r++) {
        const v = file.rows[r][c];
        if (v === null) continue;
        checker.count('bloom filter lookups of present values');
        if (!sbbfContains(filter.blocks, hashOf(column, v))) {
          checker.fail(`${what}: bloom filter misses ${JSON.stringify(v)} (row ${r})`);
        }
      }
      for (let i = 0; i < kAbsentProbes; i++) {
        const v = randomCanonical(column);
        if (inFile.has(v)) continue;
        probes++;
        if (sbbfContains(filter.blocks, hashOf(column, v))) falsePositives++;
      }
    });
    if (probes > 0) {
      const rate = falsePositives / probes;
      checker.count('bloom filter lookups of absent values', probes);
      checker.ok(rate <= kMaxFalsePositiveRate,
                 `${file.name}.${column.name}: ${falsePositives} of ${probes} absent values ` +
                 `pass the filter (sized for ${column.bloom_filter_fpp})`);
      console.log(`  bloom ${file.name}.${column.name}: false positive rate ${rate.toFixed(4)} ` +
                  `over ${probes} absent values (fpp ${column.bloom_filter_fpp})`);
    }
  });
}
