/**
 * Choosing the tfjs backend a run trains on, and describing it to the user: the backend's
 * name, the WebGL renderer (a GPU, or a software renderer such as SwiftShader), and why the
 * worker fell back when the preferred backend could not start. The wasm backend is loaded
 * only when a run asks for it (or 'auto' picks it), with the training kernels it lacks; WebGL
 * gets a filter gradient shaped for a GPU (webglKernels.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { BackendInfo, BackendPreference } from './protocol';
import { isSoftwareRenderer, SOFTWARE_RENDERER } from './renderer';
import { guardWasmMemory, registerWasmKernels } from './wasmKernels';
import { registerWebglKernels } from './webglKernels';
import { messageOf } from '../data/errors';

/**
 * Backends to try, in order, for each preference. 'auto' also leaves WebGL for wasm when
 * WebGL turns out to run on a software renderer (see `useBackend`).
 */
const ORDER = {
  auto: ['webgl', 'wasm', 'cpu'],
  webgl: ['webgl', 'wasm', 'cpu'],
  wasm: ['wasm', 'webgl', 'cpu'],
  cpu: ['cpu'],
} as const satisfies Record<BackendPreference, readonly string[]>;

/** The URL of each of the wasm backend's binaries, by the file name tfjs asks for. */
export type WasmFiles = Readonly<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>;

let wasmFiles: WasmFiles | null = null;
let wasmLoaded: Promise<void> | null = null;

/**
 * Says where the wasm binaries are served, before the wasm backend starts. The worker calls
 * this with the URLs its bundler gave them; under Node, tfjs finds them in node_modules.
 */
export function setWasmFiles(files: WasmFiles): void {
  wasmFiles = files;
}

/**
 * Registers the wasm backend, once: imports it (a separate chunk, fetched only when wanted),
 * points it at its binaries and adds the kernels it needs to train CNNs.
 *
 * Single-threaded SIMD: the threaded build starts its threads as workers from blob: URLs,
 * which this app's Content-Security-Policy (`worker-src 'self'`, no blob: scripts) refuses,
 * so multithreading is switched off rather than left to fail.
 */
function loadWasm(): Promise<void> {
  wasmLoaded ??= import('@tensorflow/tfjs-backend-wasm').then((wasm) => {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (wasmFiles) wasm.setWasmPaths(wasmFiles);
    registerWasmKernels();
  });
  return wasmLoaded;
}

/** The WebGL renderer string of the active webgl backend, or null. */
export function webglRenderer(): string | null {
  if (tf.getBackend() !== 'webgl') return null;
  const gl = (tf.backend() as unknown as Pick<MathBackendWebGL, 'gpgpu'>).gpgpu.gl;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof renderer === 'string' ? renderer : null;
}

/** Describes the active backend. */
export function describeBackend(fallbackReason: string | null = null, autoReason: string | null = null): BackendInfo {
  const renderer = webglRenderer();
  return { name: tf.getBackend(), renderer, software: isSoftwareRenderer(renderer), fallbackReason, autoReason };
}

/** WebGL backends whose context was lost: tfjs cannot bring their textures back, so they are not trained on again. */
const lostBackends = new WeakSet<tf.KernelBackend>();
const watchedBackends = new WeakSet<tf.KernelBackend>();
const contextLossListeners = new Set<() => void>();

/** Calls `listener` whenever the WebGL context this worker trains on is lost; returns the unsubscribe. */
export function onWebglContextLost(listener: () => void): () => void {
  contextLossListeners.add(listener);
  return () => contextLossListeners.delete(listener);
}

/**
 * Listens for the loss of the active WebGL backend's context (a GPU reset, a driver crash,
 * the browser reclaiming GPUs): tfjs would go on issuing calls that do nothing, or wait on a
 * fence that never passes, so the loss is reported to the listeners instead.
 */
function watchWebglContext(): void {
  const backend = tf.backend();
  if (watchedBackends.has(backend)) return;
  watchedBackends.add(backend);
  const canvas: EventTarget = (backend as unknown as Pick<MathBackendWebGL, 'gpgpu'>).gpgpu.gl.canvas;
  canvas.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    lostBackends.add(backend);
    for (const listener of contextLossListeners) listener();
  });
}

/** Makes `name` the active backend; on failure, says why in `reasons` and returns false. */
async function switchTo(name: string, reasons: string[]): Promise<boolean> {
  try {
    if (name === 'wasm') await loadWasm();
    if (!tf.engine().registryFactory[name]) throw new Error('it is not part of this build');
    if (await tf.setBackend(name)) {
      await tf.ready();
      return true;
    }
    reasons.push(`${name} did not initialise${name === 'webgl' ? ' (no WebGL in this worker)' : ''}.`);
  } catch (error) {
    reasons.push(`${name} failed: ${messageOf(error)}.`);
  }
  return false;
}

/** Starts a backend (WebGL with our filter gradient, watched for the loss of its context; WASM with its allocations checked); on failure, says why in `reasons` and returns false. */
async function start(name: string, reasons: string[]): Promise<boolean> {
  const existing = tf.engine().registry[name];
  if (existing !== undefined && lostBackends.has(existing)) {
    reasons.push(`${name}: its context was lost in this tab; reload the page to train on the GPU again.`);
    return false;
  }
  // tfjs starts its default backend (WebGL where it can) on the first getBackend().
  if (tf.getBackend() !== name && !(await switchTo(name, reasons))) return false;
  if (name === 'wasm') guardWasmMemory(tf.backend());
  if (name === 'webgl') {
    registerWebglKernels();
    watchWebglContext();
  }
  return true;
}

/**
 * Switches to the first backend of `preference`'s list that initialises, and says why when
 * it is not the first one. 'auto' takes WebGL on a GPU, but wasm when WebGL is emulated on
 * the CPU (SwiftShader, llvmpipe): there wasm's SIMD kernels train several times faster.
 */
export async function useBackend(preference: BackendPreference): Promise<BackendInfo> {
  const reasons: string[] = [];
  for (const name of ORDER[preference]) {
    if (!(await start(name, reasons))) continue;
    const software = webglRenderer()?.match(SOFTWARE_RENDERER)?.[0];
    if (preference === 'auto' && name === 'webgl' && software !== undefined) {
      if (await start('wasm', reasons)) return describeBackend(reasons.length > 0 ? reasons.join(' ') : null, `WebGL runs on ${software} (no GPU); WASM is faster here.`);
      await tf.setBackend('webgl');
    }
    return describeBackend(reasons.length > 0 ? reasons.join(' ') : null);
  }
  throw new Error(`No tfjs backend could start. ${reasons.join(' ')}`);
}
