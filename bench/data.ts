import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A small seeded PRNG (mulberry32) so every run and every variant sees the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` floats uniform in [-1, 1), seeded. */
export function randomFloats(n: number, seed: number, into: Float32Array = new Float32Array(n)): Float32Array {
  const next = rng(seed);
  for (let i = 0; i < n; i++) into[i] = next() * 2 - 1;
  return into;
}

/** A test collection with binary relevance judgements. */
export interface IrCollection {
  readonly docs: readonly { readonly id: number; readonly text: string }[];
  /** Only the judged queries. */
  readonly queries: readonly { readonly id: number; readonly text: string }[];
  /** Relevant document ids by query id. */
  readonly relevant: ReadonlyMap<number, ReadonlySet<number>>;
}

/** Records of the SMART format (`.I id`, then `.X` field markers, each followed by its lines). */
function smartRecords(text: string): { id: number; fields: Record<string, string> }[] {
  const out: { id: number; fields: Record<string, string> }[] = [];
  let field: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\.([A-Z])(?:\s+(\d+))?\s*$/.exec(line);
    if (marker?.[1] === 'I') {
      out.push({ id: Number(marker[2]), fields: {} });
      field = undefined;
    } else if (marker) {
      field = marker[1];
      out[out.length - 1].fields[field] ??= '';
    } else if (field !== undefined && out.length > 0) out[out.length - 1].fields[field] += `${line}\n`;
  }
  return out;
}

/**
 * The CISI collection from `dir` (`CISI.ALL.gz`, `CISI.QRY`, `CISI.REL`), documents and queries
 * as title + abstract (`.T` + `.W`); `undefined` when the files are not there.
 */
export function loadCisi(dir: URL): IrCollection | undefined {
  const file = (name: string) => new URL(name, dir);
  if (!['CISI.ALL.gz', 'CISI.QRY', 'CISI.REL'].every((n) => existsSync(file(n)))) return undefined;
  const text = (r: { fields: Record<string, string> }) => `${r.fields.T ?? ''}\n${r.fields.W ?? ''}`.trim();
  const docs = smartRecords(gunzipSync(readFileSync(file('CISI.ALL.gz'))).toString('utf8')).map((r) => ({ id: r.id, text: text(r) }));
  const relevant = new Map<number, Set<number>>();
  for (const line of readFileSync(file('CISI.REL'), 'utf8').split('\n')) {
    const [q, d] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(q) || !Number.isInteger(d)) continue;
    if (!relevant.has(q)) relevant.set(q, new Set());
    relevant.get(q)!.add(d);
  }
  const queries = smartRecords(readFileSync(file('CISI.QRY'), 'utf8'))
    .filter((r) => relevant.has(r.id))
    .map((r) => ({ id: r.id, text: text(r) }));
  return { docs, queries, relevant };
}
