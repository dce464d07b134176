// The server side of the loopback store, in a thread of its own so its service time does not
// block the consumer's event loop (a real store works in another process). One connection is
// served in order, like a database session; each write takes fixed + per-row microseconds.
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { fixedUs, perRowUs } = workerData as { fixedUs: number; perRowUs: number };
// Spinning, not sleeping: timer and futex wake-ups are far coarser than 100 us, and a store's
// service time is CPU time on this machine too.
const workUs = (us: number) => {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
};

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    let acks = 0;
    // Frame: 4-byte payload length, 4-byte row count, payload.
    while (buffered.length >= 8 && buffered.length >= 8 + buffered.readUInt32BE(0)) {
      workUs(fixedUs + perRowUs * buffered.readUInt32BE(4));
      buffered = buffered.subarray(8 + buffered.readUInt32BE(0));
      acks += 1;
    }
    if (acks > 0) socket.write(Buffer.alloc(acks, 1));
  });
});
server.listen(0, '127.0.0.1', () => parentPort!.postMessage((server.address() as { port: number }).port));
