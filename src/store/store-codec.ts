// How the store turns values into bytes: weft's MessagePack codec plus one extension for errors,
// which the codec refuses on its own (an Error is a class instance). A task's error must come back
// with its name, message, `code`, other fields and `cause` chain, since resume and retry policies
// read them.

import { createCodec, type Codec, type Extension } from '../codec/index.js';
import { getKernels } from '../kernels/index.js';
import type { CodecKernels } from '../kernels/types.js';

/** The store's ext type for errors ('E'). */
export const EXT_ERROR = 0x45;

// Rebuilt as themselves, so `instanceof TypeError` still tells a programmer error after a resume.
const BUILTIN_ERRORS: Readonly<Record<string, ErrorConstructor>> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };
// Deeper cause chains are cut: a cycle of causes must not recurse for ever.
const MAX_CAUSE_DEPTH = 16;

let codec: Codec | undefined;
let codecKernels: CodecKernels | undefined;
let causeDepth = 0;

const errorExtension: Extension<Error> = {
  type: EXT_ERROR,
  class: Error,
  encode(error) {
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(error)) {
      if (key !== 'cause' && key !== 'name' && key !== 'message' && key !== 'stack') props[key] = encodableOr((error as unknown as Record<string, unknown>)[key]);
    }
    const cause = (error as { cause?: unknown }).cause;
    causeDepth++;
    try {
      const keepCause = cause !== undefined && causeDepth <= MAX_CAUSE_DEPTH;
      const head = [error.name, error.message, error.stack ?? null, props, keepCause];
      try {
        return storeCodec().encode([...head, keepCause ? cause : null]);
      } catch {
        // A cause the codec refuses (a class instance thrown as a cause) is kept as its string form.
        return storeCodec().encode([...head, String(cause)]);
      }
    } finally {
      causeDepth--;
    }
  },
  decode(data) {
    const [name, message, stack, props, hasCause, cause] = storeCodec().decode(data) as [string, string, string | null, Record<string, unknown>, boolean, unknown];
    const Ctor = BUILTIN_ERRORS[name] ?? Error;
    // The recorded stack replaces the new one: capturing it (most of the cost of an Error) is skipped.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let error: Error;
    try {
      error = new Ctor(message, hasCause ? { cause } : undefined);
    } finally {
      Error.stackTraceLimit = limit;
    }
    error.name = name;
    if (stack !== null) error.stack = stack;
    else delete error.stack;
    Object.assign(error, props);
    return error;
  },
};

/** `value` when the codec can write it, else its string form (an error's odd field must not lose the error). */
function encodableOr(value: unknown): unknown {
  try {
    storeCodec().encode(value);
    return value;
  } catch {
    return String(value);
  }
}

/** The store's codec (rebuilt when `initKernels()` switched the active kernels). */
export function storeCodec(): Codec {
  const kernels = getKernels().codec;
  if (codec === undefined || codecKernels !== kernels) {
    codec = createCodec({ kernels, extensions: [errorExtension] });
    codecKernels = kernels;
  }
  return codec;
}

/**
 * Encodes a value for a BLOB column.
 * @throws EncodeUnsupportedError (`ENCODE_UNSUPPORTED`) for a value the codec cannot write.
 */
export function encodeValue(value: unknown): Uint8Array {
  return storeCodec().encode(value);
}

/** Decodes a BLOB column written by {@link encodeValue}. */
export function decodeValue(bytes: Uint8Array): unknown {
  return storeCodec().decode(bytes);
}
