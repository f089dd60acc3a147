import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Every ```ts block of README.md runs here against the source, with `from 'weft'` pointing at
// src/index.ts. A line `expr; // literal` also asserts that expr equals the literal, so the
// values the README shows are checked, not just the code's syntax.
const root = new URL('..', import.meta.url);
const tmp = new URL('./.readme-tmp/', import.meta.url);

function toRunnable(block: string): string {
  const src = fileURLToPath(new URL('src/index.ts', root));
  const lines = block.replace(/from 'weft'/g, `from ${JSON.stringify(src)}`).split('\n');
  const out = lines.map((line) => {
    const m = /^(\s*)([^/].*?);\s*\/\/\s*(-?[\d.]+|true|false|\[.*\]|'.*')\s*$/.exec(line);
    if (!m) return line;
    return `${m[1]}__expect(${m[2]}).toEqual(${m[3]});`;
  });
  return `import { expect as __expect } from 'vitest';\n${out.join('\n')}\nexport {};\n`;
}

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('README.md examples', async () => {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  blocks.forEach((block, i) => {
    it(`example ${i + 1} runs`, async () => {
      await mkdir(tmp, { recursive: true });
      const file = new URL(`example-${i + 1}.ts`, tmp);
      await writeFile(file, toRunnable(block));
      await import(/* @vite-ignore */ file.href);
    });
  });
});
