/**
 * The SIMD loops of simdKernels.wat, run on the tfjs wasm backend's own memory: a small
 * WebAssembly module of ours that imports that memory, so a kernel of wasmKernels.ts hands it
 * its tensors' byte offsets and nothing is copied. JavaScript loops on the same memory run a
 * value at a time; these run four at a time, about ten times faster on a training step's
 * 6 MB activations. Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, TypedArray } from '@tensorflow/tfjs';
import wat from './simdKernels.wat';

/** A tfjs flag: false keeps every kernel on its JavaScript loops (the tests run both ways). */
export const SIMD_FLAG = 'PLAYGROUND_WASM_SIMD';
tf.env().registerFlag(SIMD_FLAG, () => true);

/** The loops, as simdKernels.wat documents them; pointers are byte offsets into the backend's memory. */
export interface SimdLoops {
  maxPoolGrad2x2(x: number, max: number, dy: number, dx: number, batch: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number): void;
  sumRows(x: number, out: number, scratch: number, rows: number, columns: number, scale: number): void;
  addBias(x: number, bias: number, out: number, rows: number, columns: number): void;
  reluGrad(dy: number, x: number, out: number, count: number): void;
  adamStep(
    w: number, g: number, m: number, v: number, newW: number, newM: number, newV: number, count: number,
    beta1: number, rest1: number, beta2: number, rest2: number, c1: number, c2: number, epsilon: number, negativeRate: number,
  ): void;
  rmspropStep(
    w: number, g: number, s: number, p: number, newW: number, newS: number, newP: number, count: number,
    rho: number, rest: number, momentum: number, epsilon: number, rate: number,
  ): void;
  matMul(a: number, b: number, c: number, m: number, k: number, n: number, rowStep: number, columnStep: number): void;
  matMulSparse(a: number, b: number, c: number, m: number, k: number, n: number, rowStep: number, columnStep: number, list: number): void;
  nonzeroCount(x: number, count: number): number;
  allFinite(x: number, count: number): number;
  filterGradientRows(
    x: number, dy: number, batch: number, outHeight: number, outWidth: number, dyStep: number, imageBytes: number, rowBytes: number, columnBytes: number,
    offset0: number, offset1: number, offset2: number, offset3: number, out0: number, out1: number, out2: number, out3: number,
  ): void;
  filterGradientSparse(
    x: number, dy: number, out: number, outHeight: number, outWidth: number, filters: number,
    rowBytes: number, columnBytes: number, taps: number, tapBytes: number, segment: number, list: number, scratch: number,
  ): void;
  inputGradientSparse(
    dy: number, w: number, dx: number, outHeight: number, outWidth: number, filters: number,
    rowBytes: number, columnBytes: number, taps: number, tapBytes: number, segment: number, list: number,
  ): void;
}

/** What these loops need of the wasm backend: its module's memory and a tensor's place in it. */
export interface WasmMemoryBackend {
  typedArrayFromHeap(tensor: TensorInfo): TypedArray;
  /** The Emscripten module; `asm.memory` is its WebAssembly memory. */
  readonly wasm?: { readonly asm?: { readonly memory?: WebAssembly.Memory } };
}

let compiled: WebAssembly.Module | null | undefined;
const linked = new WeakMap<WebAssembly.Memory, SimdLoops | null>();

/** Our module, compiled once; null where this WebAssembly engine has no SIMD. */
function simdModule(): WebAssembly.Module | null {
  compiled ??= WebAssembly.validate(wat) ? new WebAssembly.Module(wat) : null;
  return compiled;
}

/**
 * The loops on `backend`'s memory, or null where they cannot run: no SIMD in this engine, a
 * memory they cannot import (the threaded build's shared memory), or SIMD_FLAG off. The
 * callers then take their JavaScript loops.
 */
export function simdLoops(backend: object): SimdLoops | null {
  if (!tf.env().getBool(SIMD_FLAG)) return null;
  const memory = (backend as WasmMemoryBackend).wasm?.asm?.memory;
  const module = simdModule();
  if (!memory || !module) return null;
  if (!linked.has(memory)) {
    let loops: SimdLoops | null = null;
    try {
      loops = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdLoops;
    } catch {
      loops = null;
    }
    linked.set(memory, loops);
  }
  return linked.get(memory) ?? null;
}

/** A tensor's byte offset in the backend's memory, as the loops take it. */
export const pointer = (backend: WasmMemoryBackend, tensor: TensorInfo): number => backend.typedArrayFromHeap(tensor).byteOffset;
