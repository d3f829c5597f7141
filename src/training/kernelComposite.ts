/**
 * Kernels built from a backend's own kernels, for the kernels this app replaces on a tfjs
 * backend (wasmKernels.ts, webglKernels.ts): the backend's originals stay callable, a
 * composite kernel's intermediate results are freed, and a replacement is registered once.
 * Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

/** Calls one of the backend's original kernels on TensorInfos. */
export type Run = (name: string, inputs: NamedTensorInfoMap, attrs?: object) => TensorInfo;
/** Frees an intermediate result before the composite ends, to hold less memory at once. */
export type Free = (t: TensorInfo) => void;

/** What a composite needs of a backend: freeing an intermediate result. */
interface Freeing {
  disposeData(dataId: object): boolean;
}

/** One backend's original kernels, and the composites and replacements built on them. */
export interface BackendKernels {
  /** The backend's own kernel, as it was before any replacement. */
  readonly original: (name: string) => KernelConfig;
  /** Runs `body` with the original kernels, then frees every intermediate result except the one `body` returns. */
  readonly composite: (backend: object, body: (run: Run, free: Free) => TensorInfo) => TensorInfo;
  /** Registers `kernelFunc` in place of the backend's kernel `name`; later calls for `name` do nothing. */
  readonly replace: (name: string, kernelFunc: KernelFunc) => void;
}

/** tf.getKernel, typed as it behaves: undefined when there is no such kernel. */
export const findKernel = tf.getKernel as (kernelName: string, backendName: string) => KernelConfig | undefined;

export function backendKernels(backendName: string): BackendKernels {
  const originals = new Map<string, KernelConfig>();
  const original = (name: string): KernelConfig => {
    const kernel = originals.get(name) ?? findKernel(name, backendName);
    if (!kernel) throw new Error(`The ${backendName} backend has no ${name} kernel.`);
    return kernel;
  };
  return {
    original,
    composite: (backend, body) => {
      const freeing = backend as Freeing;
      const intermediates: TensorInfo[] = [];
      const run: Run = (name, inputs, attrs = {}) => {
        const result = original(name).kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend });
        const outputs = Array.isArray(result) ? result : [result];
        intermediates.push(...outputs);
        const first = outputs[0];
        if (!first) throw new Error(`The ${backendName} ${name} kernel returned nothing.`);
        return first;
      };
      const free: Free = (t) => {
        const index = intermediates.indexOf(t);
        if (index < 0) return;
        intermediates.splice(index, 1);
        freeing.disposeData(t.dataId);
      };
      let result: TensorInfo | null = null;
      try {
        result = body(run, free);
        return result;
      } finally {
        for (const t of intermediates) if (t !== result) freeing.disposeData(t.dataId);
      }
    },
    replace: (name, kernelFunc) => {
      if (originals.has(name)) return;
      const kernel = original(name);
      originals.set(name, kernel);
      tf.unregisterKernel(name, backendName);
      // The original's setup (a wasm kernel's binding to its function) must still run when the backend starts.
      tf.registerKernel({ ...kernel, kernelFunc });
    },
  };
}
