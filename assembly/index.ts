// The module's exports: one ABI for every kernel family.
export { abiVersion, alloc, free } from './abi';
export { dot, cosine, l2sq, normalize } from './vector/dot';
export { scan } from './vector/scan';
export { topK, scanTopK } from './vector/top-k';
export { topoSort, findCycle } from './graph/topo-sort';
export { upwardRank } from './graph/critical-path';
export { levels } from './graph/levels';
export { utf8Encode, utf8Decode } from './codec/utf8';
export { packFloat32, unpackFloat32 } from './codec/float32';
export { encodeVarints, decodeVarints } from './codec/varint';
export { xxh32, xxh64 } from './codec/hash';
export {
  annCreate, annFree, annReserve, annCapacity, annVectors, annCount, annLinked, annDeletedCount,
  annAppend, annLink, annDelete, annSearch, annSerializedSize, annSerialize, annDeserialize,
  annTrack, annDiffSize, annDiffWrite, annApplyDiff,
} from './ann/index';
