/**
 * Long pages built a slice at a time. Rendering 571 notice-board sheets is half a second of CPU: in one piece it
 * holds the event loop, and every other request (health checks included) waits behind it. Loops that call
 * `await pause()` per item, and lists rendered through `InSlices`, give the loop a turn every few milliseconds.
 */
import { raw } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";

/** A time slicer for a loop of CPU work: `await pause()` per item yields to the event loop every `sliceMs`. */
export function timeSlicer(sliceMs = 10): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    start = performance.now();
  };
}

/** Render one element per item, yielding to the event loop between slices; the output is the same markup. */
export async function InSlices<T>({ items, render }: { items: readonly T[]; render: (item: T) => JSX.Element }) {
  const pause = timeSlicer();
  const parts: string[] = [];
  for (const item of items) {
    await pause();
    // A JSX element renders to a string, or a promise of one when it holds async parts.
    parts.push(String(await render(item)));
  }
  // Each part was rendered (and escaped) by JSX above: joined as they are.
  return raw(parts.join(""));
}
