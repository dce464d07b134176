import { createConnection, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/**
 * A stand-in for a database: every write is one real TCP round trip over loopback carrying the
 * rows' bytes, answered after the store's service time (`fixedUs + perRowUs * rows`, spent in a
 * worker thread, as a real store spends it in its own process). The bench's defaults (50 us + 6 us
 * per row, plus about 65 us for the round trip itself) match the stack's PostgreSQL on the build
 * machine: a single-row INSERT took about 100-120 us, a 500-row UNNEST INSERT about 3.1-3.7 ms.
 */
export interface LoopbackStore {
  write(rows: number, bytesPerRow: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreCost {
  readonly fixedUs: number;
  readonly perRowUs: number;
}

export async function loopbackStore(cost: StoreCost): Promise<LoopbackStore> {
  const worker = new Worker(new URL('./store-server.worker.ts', import.meta.url), { workerData: cost });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const socket = await connect(port);
  const waiting: (() => void)[] = [];
  socket.on('data', (acks: Buffer) => {
    for (let i = 0; i < acks.length; i++) waiting.shift()?.();
  });
  return {
    write(rows, bytesPerRow) {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        const frame = Buffer.alloc(8 + rows * bytesPerRow);
        frame.writeUInt32BE(rows * bytesPerRow, 0);
        frame.writeUInt32BE(rows, 4);
        socket.write(frame);
      });
    },
    async close() {
      socket.destroy();
      await worker.terminate();
    },
  };
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}
