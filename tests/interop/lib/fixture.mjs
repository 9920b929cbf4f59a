// The C++ fixture tool (tests/interop/parquet_fixture.cc): writes Strata's fixture files and
// their expectations, and reads any Parquet file with Strata's reader.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const kMaxOutput = 512 << 20;

// Writes the catalog into dir; returns the manifest with each entry's expected rows loaded
// (entry.rows: arrays of canonical values) and absolute paths (entry.path).
export function writeFixtures(fixtureBin, dir) {
  execFileSync(fixtureBin, ['write', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  for (const entry of manifest.files) {
    entry.path = path.join(dir, entry.file);
    entry.rows = readJsonLines(path.join(dir, entry.expected_rows));
  }
  return manifest;
}

// Strata's reading of file: { columns: [{name, type}], num_rows, rows }. Throws with the
// tool's message if Strata cannot read it.
export function strataRead(fixtureBin, file) {
  const out = execFileSync(fixtureBin, ['read', file], {
    maxBuffer: kMaxOutput,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [header, ...rows] = parseJsonLines(out);
  return { ...header, rows };
}

function readJsonLines(file) {
  return parseJsonLines(readFileSync(file, 'utf8'));
}

function parseJsonLines(text) {
  return text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
}
