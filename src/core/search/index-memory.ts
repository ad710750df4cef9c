/**
 * The search index's memory in bytes, computed from its structures (issue 12: "its memory reported"): an estimate,
 * not a heap snapshot. Walked from the index object: typed arrays count their buffers' bytes (each buffer once) plus
 * a typed array's header; arrays a header and a slot (8 bytes) per element; maps and sets a header and V8's cost of
 * an entry; strings a header and one byte per character (two when any character is beyond Latin-1, as V8 stores
 * them), each distinct string once (the dictionary's keys and its list share their strings); plain objects a header
 * and a slot per property. Numbers held in slots are counted in their slot. bench/search.ts prints it beside the
 * heap growth measured over a build (with --expose-gc), which it tracks closely.
 */

const OBJECT = 24;
const SLOT = 8;
const TYPED_ARRAY = 64;
const MAP_ENTRY = 32;
const SET_ENTRY = 24;
const STRING = 16;
const WIDE = /[\u0100-\uffff]/;

export function estimateBytes(root: object): number {
  const seen = new Set<object>();
  const buffers = new Set<ArrayBufferLike>();
  const strings = new Set<string>();
  let bytes = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (strings.has(value)) continue;
      strings.add(value);
      bytes += STRING + (WIDE.test(value) ? 2 * value.length : value.length);
      continue;
    }
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      bytes += TYPED_ARRAY;
      if (!buffers.has(value.buffer)) {
        buffers.add(value.buffer);
        bytes += value.buffer.byteLength;
      }
    } else if (Array.isArray(value)) {
      bytes += OBJECT + SLOT * value.length;
      for (const v of value) if (typeof v === "object" || typeof v === "string") stack.push(v);
    } else if (value instanceof Map) {
      bytes += OBJECT + MAP_ENTRY * value.size;
      for (const [k, v] of value) stack.push(k, v);
    } else if (value instanceof Set) {
      bytes += OBJECT + SET_ENTRY * value.size;
      for (const v of value) stack.push(v);
    } else {
      const keys = Object.keys(value);
      bytes += OBJECT + SLOT * keys.length;
      for (const k of keys) stack.push((value as Record<string, unknown>)[k]);
    }
  }
  return bytes;
}
