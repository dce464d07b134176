// Small vector helpers shared by the embedders and the vector index writers.

/** Cosine of the angle between two vectors, in [-1, 1]; 0 when either is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`cannot compare vectors of ${a.length} and ${b.length} dimensions`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

/** `vector` scaled to length 1, as a new Float32Array; an all-zero vector stays all zeros (no NaN). */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const result = Float32Array.from(vector);
  if (sum === 0) return result;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < result.length; i++) result[i] = vector[i]! * scale;
  return result;
}

/**
 * Little-endian 32-bit floats, 4 bytes per component: the blob Redis `VADD ... FP32` expects.
 * Written value by value so the byte order does not depend on the machine's.
 */
export function toFp32Buffer(vector: ArrayLike<number>): Buffer {
  const buffer = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatLE(vector[i]!, i * 4);
  return buffer;
}

/** The inverse of toFp32Buffer. */
export function fromFp32Buffer(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new RangeError(`an FP32 blob has a multiple of 4 bytes, got ${bytes.byteLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}
