import { generatedHeader } from '../header';

/**
 * The text of a generated src/core/math/*Binary.ts: a WebAssembly module embedded as base64
 * in a string constant, under a header naming the kernels' source.
 */
export interface EmbeddedModule {
  /** The module's bytes. */
  readonly bytes: Uint8Array;
  /** The exported constant, e.g. KERNELS_WASM_BASE64. */
  readonly constant: string;
  /** What the module holds, for its doc comment. */
  readonly what: string;
  /** The kernels' source, relative to the project root. */
  readonly source: string;
}

/** The generated file's text for `m`. */
export function embeddedModuleSource(m: EmbeddedModule): string {
  const lines = base64(m.bytes)
    .match(/.{1,100}/g)!
    .map((l) => `  '${l}' +`);
  lines[lines.length - 1] = lines[lines.length - 1]!.replace(/ \+$/, ',');
  return `${generatedHeader(m.source)}

/** ${m.what} (${m.bytes.length} bytes), base64. */
export const ${m.constant} = [
${lines.join('\n')}
].join('');
`;
}

/** Base64 of bytes (RFC 4648, with padding), without Node's Buffer. */
function base64(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63]! + abc[(n >> 12) & 63]! + (i + 1 < bytes.length ? abc[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? abc[n & 63]! : '=');
  }
  return out;
}
