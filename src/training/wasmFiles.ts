/**
 * The wasm backend's binaries as URLs that Vite copies into dist/ next to the worker's
 * chunks. Browser-only (a Vite `?url` import): the worker hands these to `setWasmFiles`;
 * under Node, tfjs reads the binaries from node_modules itself.
 */
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WasmFiles } from './backend';

/** Each binary's URL, by the file name tfjs asks for. */
export const WASM_FILES: WasmFiles = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};
