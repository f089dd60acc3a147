import { Decoder as MsgpackDecoder, Encoder as MsgpackEncoder } from '@msgpack/msgpack';
import { Packr } from 'msgpackr';
import { createCodec } from '../src/codec/index.js';
import { loadWeftModule } from '../src/kernels/index.js';
import { createTsKernels } from '../src/kernels/ts/index.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { randomFloats, rng } from './data.js';
import type { BenchCase, BenchSuite } from './types.js';

/** A typical task message: ~1 KB of ids, strings and a nested object, plus a 384-float embedding. */
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
    status: 'running',
    dependsOn: [id('task'), id('task'), id('task')],
    input: {
      prompt: 'Summarise the quarterly figures for the three regions and flag any anomaly above two standard deviations.',
      documents: [
        { uri: 's3://bucket/reports/q3-emea.pdf', pages: 42, lang: 'en' },
        { uri: 's3://bucket/reports/q3-apac.pdf', pages: 37, lang: 'en' },
        { uri: 's3://bucket/reports/q3-amer.pdf', pages: 51, lang: 'en' },
      ],
      params: { temperature: 0.2, maxTokens: 1024, model: 'gpt-4o-mini', stop: ['\n\n###'] },
    },
    tools: ['search', 'calculator', 'sql'],
    tags: { team: 'finance', env: 'prod', region: 'eu-west-1' },
    output: null,
    note: 'Résumé généré — données préliminaires ✓',
    embedding: randomFloats(384, 7),
  };
}

const suite: BenchSuite = {
  name: 'codec',
  async cases(wanted) {
    const names = ['encode+decode task-message', 'encode task-message', 'decode task-message'];
    if (!names.some(wanted)) return [];
    const msg = taskMessage();
    // JSON cannot carry a Float32Array: it gets the embedding as a plain array, as JSON users do.
    const jsonMsg = { ...msg, embedding: Array.from(msg.embedding as Float32Array) };
    // `wasm` and `ts` run weft's codec with all strings and floats through that kernel backend;
    // `weft` is the default configuration (native UTF-8 for long strings, active kernels).
    const wasm = createCodec({ kernels: (await createWasmKernels(await loadWeftModule())).codec, nativeUtf8: false });
    const ts = createCodec({ kernels: createTsKernels().codec, nativeUtf8: false });
    const weft = createCodec({ kernels: (await createWasmKernels(await loadWeftModule())).codec });
    const packr = new Packr({ moreTypes: true });
    const mpEnc = new MsgpackEncoder();
    const mpDec = new MsgpackDecoder();
    const encoded = {
      wasm: wasm.encode(msg),
      ts: ts.encode(msg),
      weft: weft.encode(msg),
      msgpackr: packr.pack(msg),
      '@msgpack/msgpack': mpEnc.encode(msg),
      JSON: JSON.stringify(jsonMsg),
    };
    console.log(`  task message: weft ${encoded.weft.length} B, msgpackr ${encoded.msgpackr.length} B, @msgpack/msgpack ${encoded['@msgpack/msgpack'].length} B, JSON ${encoded.JSON.length} B`);
    const cases: BenchCase[] = [
      {
        name: names[0],
        variants: {
          wasm: () => wasm.decode(wasm.encode(msg)),
          ts: () => ts.decode(ts.encode(msg)),
          weft: () => weft.decode(weft.encode(msg)),
          msgpackr: () => packr.unpack(packr.pack(msg)),
          '@msgpack/msgpack': () => mpDec.decode(mpEnc.encode(msg)),
          JSON: () => JSON.parse(JSON.stringify(jsonMsg)),
        },
      },
      {
        name: names[1],
        variants: {
          wasm: () => wasm.encode(msg),
          ts: () => ts.encode(msg),
          weft: () => weft.encode(msg),
          msgpackr: () => packr.pack(msg),
          '@msgpack/msgpack': () => mpEnc.encode(msg),
          JSON: () => JSON.stringify(jsonMsg),
        },
      },
      {
        name: names[2],
        variants: {
          wasm: () => wasm.decode(encoded.wasm),
          ts: () => ts.decode(encoded.ts),
          weft: () => weft.decode(encoded.weft),
          msgpackr: () => packr.unpack(encoded.msgpackr),
          '@msgpack/msgpack': () => mpDec.decode(encoded['@msgpack/msgpack']),
          JSON: () => JSON.parse(encoded.JSON),
        },
      },
    ];
    return cases.filter((c) => wanted(c.name));
  },
};

export default suite;
