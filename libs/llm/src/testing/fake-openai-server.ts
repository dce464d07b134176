import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny in-process stand-in for an OpenAI-compatible server (chat completions and embeddings),
// for unit tests of the clients: scripted failures, hangs and delays, and a record of what it got.
// It tests the clients' logic, not any real server's behaviour.

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Sent as JSON, or as is when a string. */
  readonly body?: unknown;
}

export interface FakeOpenAiServer extends AsyncDisposable {
  /** The API root to give a client, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The most requests that were being answered at the same time; set it to 0 to measure anew. */
  maxInFlight: number;
  /** Each request waits this long before its answer (to make concurrency observable). */
  delayMs: number;
  /** Length of the vectors the embeddings endpoint makes up; default 4. */
  dimension: number;
  /** The next requests get these answers, in order, instead of the normal one. */
  answerNext(...answers: ScriptedAnswer[]): void;
  /** The next `count` requests never get an answer (until the server stops). */
  hangNext(count?: number): void;
}

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const script: (ScriptedAnswer | 'hang')[] = [];
  let inFlight = 0;

  const send = (response: ServerResponse, answer: ScriptedAnswer) => {
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(text);
  };

  const server = createServer((request, response) => {
    void (async () => {
      let text = '';
      for await (const chunk of request) text += String(chunk);
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      const path = request.url ?? '';
      requests.push({ method: request.method ?? '', path, headers: request.headers, body });
      const next = script.shift();
      if (next === 'hang') return;
      inFlight++;
      fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
      inFlight--;
      send(response, next ?? normalAnswer(path, body, fake.dimension));
    })().catch((error: unknown) =>
      send(response, { status: 500, body: { error: { message: String(error) } } }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const fake = {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight: 0,
    delayMs: 0,
    dimension: 4,
    answerNext(...answers: ScriptedAnswer[]) {
      script.push(...answers);
    },
    hangNext(count = 1) {
      for (let i = 0; i < count; i++) script.push('hang');
    },
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return fake;
}

function normalAnswer(path: string, body: unknown, dimension: number): ScriptedAnswer {
  if (path === '/v1/chat/completions') {
    const { model, messages } = body as { model: string; messages: { role: string; content: string }[] };
    const prompt = messages.at(-1)?.content ?? '';
    return {
      status: 200,
      body: {
        object: 'chat.completion',
        model: `${model}-2025-01-01`,
        choices: [
          { index: 0, message: { role: 'assistant', content: `echo: ${prompt}` }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: prompt.split(' ').length, completion_tokens: prompt.split(' ').length + 1 },
      },
    };
  }
  if (path === '/v1/embeddings') {
    const { model, input } = body as { model: string; input: string[] };
    // Vectors made from the text so tests can tell them apart, listed in reverse order: clients
    // must place each by its index, as the API promises nothing about order.
    const data = input.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: Array.from({ length: dimension }, (_, i) => (i === 0 ? text.length : i / 10)),
    }));
    return {
      status: 200,
      body: { object: 'list', model, data: data.reverse(), usage: { prompt_tokens: 1 } },
    };
  }
  return { status: 404, body: { error: { message: `no route ${path}` } } };
}
