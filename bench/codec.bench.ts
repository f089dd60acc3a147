import { Decoder as MsgpackDecoder, Encoder as MsgpackEncoder } from '@msgpack/msgpack';
import { Packr } from 'msgpackr';
import { createCodec, type Codec } from '../src/codec/index.js';
import { loadWeftModule } from '../src/kernels/index.js';
import { createTsKernels } from '../src/kernels/ts/index.js';
import type { CodecKernels } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { randomFloats, rng } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

/**
 * A typical task message, the same on every run (seeded): ~1 KB of ids, short strings, numbers
 * and a nested object, plus a 384-float embedding as a Float32Array (~2.6 KB in all).
 */
export function taskMessage(): Record<string, unknown> {
  const next = rng(99);
  const id = (p: string) => `${p}-${Math.floor(next() * 1e9).toString(36)}-${Math.floor(next() * 1e9).toString(36)}`;
  return {
    runId: id('run'),
    taskId: id('task'),
    workflow: 'report-generation',
    agent: 'analyst',
    attempt: 2,
    priority: 17,
    createdAt: 1_763_400_000_123,
    deadlineMs: 90_000,
    status: 'running',
    retryable: true,
    dependsOn: [id('task'), id('task'), id('task')],
    input: {
      prompt: 'Summarise the quarterly figures for the three regions and flag any anomaly above two standard deviations.',
      documents: [
        { uri: 's3://bucket/reports/q3-emea.pdf', pages: 42, lang: 'en', score: 0.91 },
        { uri: 's3://bucket/reports/q3-apac.pdf', pages: 37, lang: 'en', score: 0.87 },
        { uri: 's3://bucket/reports/q3-amer.pdf', pages: 51, lang: 'en', score: 0.78 },
      ],
      params: { temperature: 0.2, maxTokens: 1024, model: 'gpt-4o-mini', stop: ['\n\n###'] },
    },
    tools: ['search', 'calculator', 'sql'],
    tags: { team: 'finance', env: 'prod', region: 'eu-west-1' },
    usage: { promptTokens: 1834, completionTokens: 412, costUsd: 0.00041 },
    history: [
      { attempt: 1, worker: id('worker'), error: 'rate limited by the model provider; retrying after backoff', durationMs: 1204 },
    ],
    output: null,
    note: 'Résumé généré — données préliminaires ✓',
    embedding: randomFloats(384, 7),
  };
}

const ROUND_TRIP = 'encode+decode task-message';
const ENCODE = 'encode task-message';
const DECODE = 'decode task-message';
const KERNEL_UTF8 = 'encode+decode task-message utf8=kernels';

// Each variant is its own function literal, so no call site is shared (and megamorphic) between them.
function weftVariants(wasm: Codec, ts: Codec, msg: unknown): Record<string, Record<string, () => unknown>> {
  const wasmBytes = wasm.encode(msg);
  const tsBytes = ts.encode(msg);
  return {
    [ROUND_TRIP]: { wasm: () => wasm.decode(wasm.encode(msg)), ts: () => ts.decode(ts.encode(msg)) },
    [ENCODE]: { wasm: () => wasm.encode(msg), ts: () => ts.encode(msg) },
    [DECODE]: { wasm: () => wasm.decode(wasmBytes), ts: () => ts.decode(tsBytes) },
  };
}

const suite: BenchSuite = {
  name: 'codec',
  async cases(wanted) {
    if (![ROUND_TRIP, ENCODE, DECODE, KERNEL_UTF8].some(wanted)) return [];
    const msg = taskMessage();
    // JSON cannot carry a Float32Array: it gets the embedding as a plain array, as JSON users do.
    const jsonMsg = { ...msg, embedding: Array.from(msg.embedding as Float32Array) };
    const wasmKernels: CodecKernels = (await createWasmKernels(await loadWeftModule())).codec;
    const tsKernels: CodecKernels = createTsKernels().codec;
    // `wasm` and `ts`: weft's codec with its defaults on each kernel backend.
    const weft = weftVariants(createCodec({ kernels: wasmKernels }), createCodec({ kernels: tsKernels }), msg);
    const kernelUtf8 = weftVariants(
      createCodec({ kernels: wasmKernels, nativeUtf8: false }),
      createCodec({ kernels: tsKernels, nativeUtf8: false }),
      msg,
    );
    const packr = new Packr({ moreTypes: true });
    const mpEnc = new MsgpackEncoder();
    const mpDec = new MsgpackDecoder();
    const packed = packr.pack(msg);
    const mpBytes = mpEnc.encode(msg);
    const json = JSON.stringify(jsonMsg);
    console.log(
      `  task message: weft ${createCodec().encode(msg).length} B, msgpackr ${packed.length} B, ` +
        `@msgpack/msgpack ${mpBytes.length} B, JSON ${json.length} B`,
    );
    const cases: BenchCase[] = [
      {
        name: ROUND_TRIP,
        variants: {
          ...weft[ROUND_TRIP],
          msgpackr: () => packr.unpack(packr.pack(msg)),
          '@msgpack/msgpack': () => mpDec.decode(mpEnc.encode(msg)),
          JSON: () => JSON.parse(JSON.stringify(jsonMsg)),
        },
      },
      {
        name: ENCODE,
        variants: {
          ...weft[ENCODE],
          msgpackr: () => packr.pack(msg),
          '@msgpack/msgpack': () => mpEnc.encode(msg),
          JSON: () => JSON.stringify(jsonMsg),
        },
      },
      {
        name: DECODE,
        variants: {
          ...weft[DECODE],
          msgpackr: () => packr.unpack(packed),
          '@msgpack/msgpack': () => mpDec.decode(mpBytes),
          JSON: () => JSON.parse(json),
        },
      },
      // Every string of 32+ bytes through the kernels' UTF-8 instead of TextEncoder/TextDecoder:
      // compares the two backends' string kernels inside real work.
      { name: KERNEL_UTF8, variants: kernelUtf8[ROUND_TRIP] },
    ];
    return cases.filter((c) => wanted(c.name));
  },
};

export default suite;
