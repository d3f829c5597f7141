/**
 * Which WebGL renderers mean "no GPU": WebGL emulated on the CPU. Shared by the worker's
 * backend choice and the bench (no tfjs here).
 */

/** Renderers that mean "no GPU": WebGL is emulated on the CPU. */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** True when a renderer string names a software rasteriser. */
export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE_RENDERER.test(renderer);
}
