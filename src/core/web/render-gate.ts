/**
 * Heavy work taken a few at a time. Rendering is CPU work on the one event loop: with fifty board renders interleaved,
 * a health check waits for a slice of each; with two at a time it waits for at most two slices, and the memory of
 * pages being built stays bounded. The rest wait in order, holding nothing but their request.
 */
export class RenderGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number) {}

  /** Run `work` once fewer than `concurrency` others run. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const nextInLine = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` never dips and a newcomer cannot jump the queue.
      if (nextInLine) nextInLine();
      else this.running--;
    }
  }
}
