import { endianness } from 'node:os';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * A vector as VADD/VSIM take it after `FP32`: little-endian float32 bytes. On little-endian hosts
 * (all we run on) that is the array's own memory, shared rather than copied.
 */
export function toFp32Blob(vector: Float32Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  const blob = Buffer.allocUnsafe(vector.length * 4);
  vector.forEach((value, i) => blob.writeFloatLE(value, i * 4));
  return blob;
}

/** Why a vector cannot be indexed, or undefined when it can. */
export function vectorProblem(vector: Float32Array): string | undefined {
  if (vector.length === 0) return 'the vector is empty';
  // Redis accepts NaN and stores a vector that matches nothing sensibly, so refuse it here.
  const bad = vector.findIndex((value) => !Number.isFinite(value));
  if (bad !== -1) return `component ${bad} is ${vector[bad]}`;
  if (vector.every((value) => value === 0)) return 'the vector is all zeros (no direction to compare)';
  return undefined;
}
