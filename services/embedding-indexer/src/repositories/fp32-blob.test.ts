import { describe, expect, it } from 'vitest';
import { toFp32Blob, vectorProblem } from './fp32-blob.js';

describe('toFp32Blob', () => {
  it('writes little-endian float32, for a view into a larger buffer too', () => {
    expect(toFp32Blob(new Float32Array([1, -2.5])).toString('hex')).toBe('0000803f000020c0');
    const view = new Float32Array(new Float32Array([9, 1, 9]).buffer, 4, 1);
    expect(toFp32Blob(view).toString('hex')).toBe('0000803f');
  });
});

describe('vectorProblem', () => {
  it('accepts a finite, non-zero vector and names what is wrong otherwise', () => {
    expect(vectorProblem(new Float32Array([0, 0.5]))).toBeUndefined();
    expect(vectorProblem(new Float32Array([]))).toMatch(/empty/);
    expect(vectorProblem(new Float32Array([1, Number.NaN]))).toBe('component 1 is NaN');
    expect(vectorProblem(new Float32Array([Number.POSITIVE_INFINITY]))).toBe('component 0 is Infinity');
    expect(vectorProblem(new Float32Array([0, 0]))).toMatch(/all zeros/);
  });
});
