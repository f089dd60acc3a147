import { readFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { describe, expect, it } from 'vitest';

// The release build must really be SIMD code: a build flag dropped from asconfig.json would
// still pass every parity test, only slower.
const SIMD_OP = /\b(?:v128|f32x4|f64x2|i8x16|i16x8|i32x4|i64x2)\.[a-z_0-9]+/g;

function simdOpsPerExport(): Map<string, number> {
  const module = binaryen.readBinary(readFileSync(new URL('../../../build/weft.wasm', import.meta.url)));
  module.setFeatures(binaryen.Features.All);
  const counts = new Map<string, number>();
  for (let i = 0; i < module.getNumExports(); i++) {
    const info = binaryen.getExportInfo(module.getExportByIndex(i));
    if (info.kind !== binaryen.ExternalFunction) continue;
    const body = binaryen.getFunctionInfo(module.getFunction(info.value)).body;
    counts.set(info.name, (binaryen.emitText(body).match(SIMD_OP) ?? []).length);
  }
  module.dispose();
  return counts;
}

describe('build/weft.wasm', () => {
  it('contains SIMD instructions in every vector kernel', () => {
    const counts = simdOpsPerExport();
    for (const kernel of ['dot', 'cosine', 'l2sq', 'normalize', 'scan']) {
      expect(counts.get(kernel), kernel).toBeGreaterThan(8);
    }
  });
});
