import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny in-process stand-in for a Confluent schema registry: the two endpoints the codec uses,
// for unit tests of the client logic. Integration tests against a real registry are another matter.

export interface FakeSchemaRegistry extends AsyncDisposable {
  readonly url: string;
  /** Every request, as `METHOD path`. */
  readonly requests: string[];
  /** The authorization header of each request ('' when absent). */
  readonly authorizations: string[];
  /** Subjects and the ids registered under them. */
  readonly subjects: Map<string, number[]>;
  /** The next `count` requests answer `status` (with a registry-style error body). */
  failNext(status: number, count?: number): void;
  /** The next request never gets an answer (until the registry stops). */
  hangNext(): void;
}

export async function startFakeSchemaRegistry(): Promise<FakeSchemaRegistry> {
  const schemas: string[] = [];
  const subjects = new Map<string, number[]>();
  const requests: string[] = [];
  const authorizations: string[] = [];
  const failures: (number | 'hang')[] = [];

  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const path = request.url ?? '';
    requests.push(`${request.method} ${path}`);
    authorizations.push(request.headers.authorization ?? '');
    const failure = failures.shift();
    if (failure === 'hang') return;
    if (failure !== undefined) {
      return answer(response, failure, { error_code: failure * 100, message: `injected ${failure}` });
    }
    const register = /^\/subjects\/([^/]+)\/versions$/.exec(path);
    if (request.method === 'POST' && register) {
      const { schema } = JSON.parse(body) as { schema: string };
      JSON.parse(schema); // a real registry rejects schemas it cannot parse
      let id = schemas.indexOf(schema) + 1;
      if (id === 0) id = schemas.push(schema);
      const subject = decodeURIComponent(register[1]!);
      subjects.set(subject, [...new Set([...(subjects.get(subject) ?? []), id])]);
      return answer(response, 200, { id });
    }
    const lookup = /^\/schemas\/ids\/(\d+)$/.exec(path);
    if (request.method === 'GET' && lookup) {
      const schema = schemas[Number(lookup[1]) - 1];
      return schema === undefined
        ? answer(response, 404, { error_code: 40403, message: 'Schema not found' })
        : answer(response, 200, { schema });
    }
    answer(response, 404, { error_code: 404, message: 'HTTP 404 Not Found' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answer(response, 500, { message: String(error) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    subjects,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    hangNext() {
      failures.push('hang');
    },
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
