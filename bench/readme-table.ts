// Turns a `--json` result file into the Markdown table kept in README.md between the
// <!-- bench:start --> and <!-- bench:end --> markers, so the figures there are never typed by hand.
//   npx tsx bench/readme-table.ts out.json [--write README.md]
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchRecord } from './types.js';

function fmt(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** The Markdown table: one line per case, WASM and TS medians, their ratio and the peers. */
export function benchTable(rows: readonly BenchRecord[]): string {
  const cases = new Map<string, BenchRecord[]>();
  for (const r of rows) {
    const key = `${r.suite}\u0000${r.case}`;
    cases.set(key, [...(cases.get(key) ?? []), r]);
  }
  const lines = ['| suite | case | wasm | ts | wasm/ts | others (median) | figures |', '|---|---|---|---|---|---|---|'];
  for (const [key, variants] of cases) {
    const [suite, name] = key.split('\u0000');
    const w = variants.find((v) => v.variant === 'wasm');
    const t = variants.find((v) => v.variant === 'ts');
    const peers = variants.filter((v) => v !== w && v !== t).map((v) => `${v.variant} ${fmt(v.medianNs)}`).join(', ');
    const ratio = w && t ? `${(t.medianNs / w.medianNs).toFixed(2)}×` : '';
    const gb = (r?: BenchRecord): string => (r?.gbPerSec ? ` (${r.gbPerSec.toFixed(1)} GB/s)` : '');
    const figures = variants
      .filter((v) => v.metrics)
      .map((v) => `${variants.length > 1 ? `${v.variant}: ` : ''}${Object.entries(v.metrics!).map(([k, x]) => `${k} ${Number.isInteger(x) ? x : x.toPrecision(3)}`).join(', ')}`)
      .join('; ');
    lines.push(`| ${suite} | ${name} | ${w ? fmt(w.medianNs) + gb(w) : ''} | ${t ? fmt(t.medianNs) + gb(t) : ''} | ${ratio} | ${peers} | ${figures} |`);
  }
  return lines.join('\n');
}

const [file, flag, target] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/readme-table.ts <results.json> [--write README.md]');
  process.exit(2);
}
const table = benchTable(JSON.parse(readFileSync(file, 'utf8')) as BenchRecord[]);
if (flag === '--write' && target) {
  const readme = readFileSync(target, 'utf8');
  const next = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`);
  writeFileSync(target, next);
} else {
  console.log(table);
}
