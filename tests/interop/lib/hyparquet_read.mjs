// Reading a Strata fixture file with hyparquet, brought to the canonical value form.
//
// hyparquet decodes UNCOMPRESSED and SNAPPY by itself. GZIP is handed to it through its
// `compressors` option with node's own zlib (no extra package). ZSTD and LZ4_RAW would need
// the hyparquet-compressors package, which this suite does not install, so files with those
// codecs are read for metadata only.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { floatText, hex } from './canonical.mjs';

export const kValueCodecs = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP']);

export const compressors = {
  GZIP: (input) => new Uint8Array(gunzipSync(input)),
};

// Dates and timestamps straight to the canonical form (days; nanoseconds), so no precision
// is lost to JS Date objects (hyparquet's default).
const kTimeParsers = {
  timestampFromMilliseconds: (v) => String(BigInt(v) * 1000000n),
  timestampFromMicroseconds: (v) => String(BigInt(v) * 1000n),
  timestampFromNanoseconds: (v) => String(BigInt(v)),
  dateFromDays: (days) => String(days),
};

// For statistics: hyparquet decodes every BYTE_ARRAY bound as UTF-8 text, which would lose
// binary bounds, so bounds come as hex and string bounds are compared as the hex of UTF-8.
export const kMetadataParsers = { ...kTimeParsers, stringFromBytes: (b) => b && hex(b) };

export function loadFile(path) {
  const buffer = readFileSync(path);
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

export function metadataOf(arrayBuffer) {
  return parquetMetadata(arrayBuffer, { parsers: kMetadataParsers });
}

// One value as hyparquet returns it (data or statistics), in canonical form for a manifest
// column of this kind.
export function toCanonical(value, kind) {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return hex(value);
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'bigint':
      return String(value);
    case 'number':
      return kind === 'float' ? floatText(value) : String(value);
    default:
      throw new Error(`unexpected value ${value} for a ${kind} column`);
  }
}

// Every row of the file as arrays of canonical values.
export async function readRows(arrayBuffer, file) {
  let rows;
  await parquetRead({
    file: arrayBuffer,
    compressors,
    utf8: false, // BYTE_ARRAY without annotation stays binary
    parsers: kTimeParsers,
    onComplete: (data) => { rows = data; },
  });
  const kinds = file.columns.map((c) => c.kind);
  return rows.map((row) => row.map((v, i) => toCanonical(v, kinds[i])));
}
