// `npm run bench [-- --filter TEXT ...] [-- --json FILE] [-- --time MS]`: runs every suite in
// bench/*.bench.ts, WASM and TS (and peers) side by side, and prints medians with ratios.
import { readdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatCase, runSuites } from './harness.js';
import type { BenchSuite } from './types.js';

const USAGE = 'usage: npm run bench -- [--filter TEXT]... [--json FILE] [--time MS] [--list]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        filter: { type: 'string', multiple: true, default: [] },
        json: { type: 'string' },
        time: { type: 'string', default: '500' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeMs = Number(values.time);
  if (!Number.isFinite(timeMs) || timeMs <= 0) {
    console.error(`Expected \`--time\` to be a number of milliseconds > 0, got \`${values.time}\`\n${USAGE}`);
    return 2;
  }
  const dir = new URL('./', import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const suites: BenchSuite[] = [];
  for (const file of files) suites.push((await import(new URL(file, dir).href)).default as BenchSuite);
  if (values.list) {
    for (const s of suites) console.log(s.name);
    return 0;
  }
  console.log(`weft bench: node ${process.version}, ${process.arch}, time ${timeMs} ms per variant`);
  let current = '';
  const records = await runSuites(suites, {
    filters: values.filter,
    timeMs,
    onCase(suite, _case, caseRecords) {
      if (suite !== current) {
        current = suite;
        console.log(`\n[${suite}]`);
      }
      console.log(`  ${formatCase(caseRecords)}`);
    },
  });
  if (records.length === 0) console.log(`no case matches ${values.filter.join(', ')}`);
  if (values.json) {
    await writeFile(values.json, `${JSON.stringify(records, null, 2)}\n`);
    console.log(`\nwrote ${records.length} records to ${values.json}`);
  }
  return 0;
}

process.exitCode = await main();
