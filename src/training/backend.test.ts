import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { onWebglContextLost, useBackend } from './backend';

/** A stand-in for tfjs's webgl backend that only answers which renderer it runs on. */
class FakeWebGL extends tf.KernelBackend {
  readonly gpgpu: { readonly gl: Pick<WebGL2RenderingContext, 'getExtension' | 'getParameter' | 'RENDERER'> & { readonly canvas: EventTarget } };

  constructor(renderer: string) {
    super();
    this.gpgpu = { gl: { RENDERER: 0x1f01, getExtension: () => null, getParameter: () => renderer, canvas: new EventTarget() } };
  }

  override dispose(): void {
    // Nothing to free.
  }
}

function fakeWebGL(renderer: string): FakeWebGL {
  const backend = new FakeWebGL(renderer);
  tf.registerBackend('webgl', () => backend, 2);
  return backend;
}

afterEach(async () => {
  await tf.setBackend('cpu');
  if (tf.engine().registryFactory['webgl']) tf.removeBackend('webgl');
});

describe('useBackend', () => {
  it("'auto' keeps WebGL on a GPU", async () => {
    fakeWebGL('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)');
    expect(await useBackend('auto')).toEqual({ name: 'webgl', renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)', software: false, fallbackReason: null, autoReason: null });
  });

  it("'auto' leaves WebGL on a software renderer for wasm, and says why", async () => {
    fakeWebGL('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)');
    expect(await useBackend('auto')).toEqual({ name: 'wasm', renderer: null, software: false, fallbackReason: null, autoReason: 'WebGL runs on SwiftShader (no GPU); WASM is faster here.' });
  });

  it("'webgl' stays on WebGL even on a software renderer: the user asked for it", async () => {
    fakeWebGL('llvmpipe (LLVM 15.0.6, 256 bits)');
    expect(await useBackend('webgl')).toMatchObject({ name: 'webgl', software: true, fallbackReason: null });
  });

  it("'auto' takes wasm, not the plain cpu backend, where there is no WebGL at all", async () => {
    const info = await useBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.fallbackReason).toMatch(/^webgl failed/);
  });

  it('reports a lost WebGL context, and never trains on that context again', async () => {
    const webgl = fakeWebGL('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)');
    expect((await useBackend('webgl')).name).toBe('webgl');
    const lost: string[] = [];
    const unsubscribe = onWebglContextLost(() => lost.push(tf.getBackend()));
    const event = new Event('webglcontextlost', { cancelable: true });
    webgl.gpgpu.gl.canvas.dispatchEvent(event);
    unsubscribe();
    expect(lost).toEqual(['webgl']);
    expect(event.defaultPrevented).toBe(true);
    const next = await useBackend('webgl');
    expect(next.name).toBe('wasm');
    expect(next.fallbackReason).toBe('webgl: its context was lost in this tab; reload the page to train on the GPU again.');
  });

  it("'wasm' loads the wasm backend on demand", async () => {
    expect(await useBackend('wasm')).toEqual({ name: 'wasm', renderer: null, software: false, fallbackReason: null, autoReason: null });
  });
});
