import { LOCAL_MODEL, LocalProvider, ModelRouter, type LlmRequest, type LlmResult } from '@genstream/llm';
import type { ModelGateway } from '../../src/services/ports.js';

/** The real LocalProvider (with simulated latency) behind a router, counting the calls that reach it. */
export class CountingModel implements ModelGateway {
  readonly calls: LlmRequest[] = [];
  private readonly router: ModelRouter;

  constructor(latencyMs = 300) {
    this.router = new ModelRouter([
      { provider: new LocalProvider({ simulatedLatencyMs: latencyMs }), models: [LOCAL_MODEL] },
    ]);
  }

  knows(model: string): boolean {
    return this.router.knows(model);
  }

  generate(request: LlmRequest): Promise<LlmResult> {
    this.calls.push(request);
    return this.router.generate(request);
  }
}
