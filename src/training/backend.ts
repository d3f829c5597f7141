/**
 * Choosing the tfjs backend a run trains on, and describing it to the user: the backend's
 * name, the WebGL renderer (a GPU, or a software renderer such as SwiftShader), and why the
 * worker fell back when the preferred backend could not start.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { BackendInfo, BackendPreference } from './protocol';

/** Renderers that mean "no GPU": WebGL is emulated on the CPU. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Backends to try, in order, for each preference. */
const ORDER = {
  auto: ['webgl', 'cpu'],
  webgl: ['webgl', 'cpu'],
  wasm: ['wasm', 'webgl', 'cpu'],
  cpu: ['cpu'],
} as const satisfies Record<BackendPreference, readonly string[]>;

/** The WebGL renderer string of the active webgl backend, or null. */
export function webglRenderer(): string | null {
  if (tf.getBackend() !== 'webgl') return null;
  const gl = (tf.backend() as unknown as Pick<MathBackendWebGL, 'gpgpu'>).gpgpu.gl;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof renderer === 'string' ? renderer : null;
}

/** True when a renderer string names a software rasteriser. */
export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE_RENDERER.test(renderer);
}

/** Describes the active backend. */
export function describeBackend(fallbackReason: string | null = null): BackendInfo {
  const renderer = webglRenderer();
  return { name: tf.getBackend(), renderer, software: isSoftwareRenderer(renderer), fallbackReason };
}

/**
 * Switches to the first backend of `preference`'s list that initialises, and says why when
 * it is not the first one.
 */
export async function useBackend(preference: BackendPreference): Promise<BackendInfo> {
  const reasons: string[] = [];
  for (const name of ORDER[preference]) {
    if (tf.getBackend() === name) return describeBackend(reasons.length > 0 ? reasons.join(' ') : null);
    try {
      if (!tf.engine().registryFactory[name]) throw new Error('it is not part of this build');
      if (await tf.setBackend(name)) {
        await tf.ready();
        return describeBackend(reasons.length > 0 ? reasons.join(' ') : null);
      }
      reasons.push(`${name} did not initialise${name === 'webgl' ? ' (no WebGL in this worker)' : ''}.`);
    } catch (error) {
      reasons.push(`${name} failed: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }
  throw new Error(`No tfjs backend could start. ${reasons.join(' ')}`);
}
