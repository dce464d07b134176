import { describe, expect, it } from 'vitest';
import { cosineSimilarity, fromFp32Buffer, l2Normalize, toFp32Buffer } from './vectors.js';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, -1 for the opposite, 0 for orthogonal or zero vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [-3, 0])).toBeCloseTo(-1);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('l2Normalize', () => {
  it('scales to length 1 and leaves a zero vector alone', () => {
    expect(Array.from(l2Normalize([3, 4]))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(l2Normalize([0, 0, 0]))).toEqual([0, 0, 0]);
  });
});

describe('FP32 blobs', () => {
  it('writes little-endian 32-bit floats, 4 bytes each', () => {
    expect(toFp32Buffer([1, -2]).toString('hex')).toBe('0000803f000000c0');
    expect(toFp32Buffer(new Float32Array(0))).toHaveLength(0);
  });

  it('reads back exactly what it wrote, from any offset', () => {
    const vector = Float32Array.from([0.1, -0.25, 3.5e-8, 1, 0]);
    const bytes = toFp32Buffer(vector);
    expect(fromFp32Buffer(bytes)).toEqual(vector);
    const shifted = Buffer.concat([Buffer.from([9]), bytes]).subarray(1);
    expect(fromFp32Buffer(shifted)).toEqual(vector);
    expect(() => fromFp32Buffer(Buffer.alloc(6))).toThrow(RangeError);
  });
});
