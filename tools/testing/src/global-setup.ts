// Vitest global setup of the integration project: provides the servers (the four of the stack and
// the schema registry) once per run.
import type { TestProject } from 'vitest/node';
import { provisionServers, type ServerEnv } from './provision.js';

declare module 'vitest' {
  export interface ProvidedContext {
    genstreamServers: ServerEnv;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await provisionServers();
  project.provide('genstreamServers', servers.env);
  return () => servers.release();
}
