/**
 * How every headless Chromium of ours is launched (Playwright tests and the benchmark):
 * Debian's /usr/bin/chromium when present, Playwright's own browser otherwise, with the flags
 * a closed network needs and SwiftShader WebGL enabled so that tfjs's WebGL backend works in
 * a worker on a machine without a GPU.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from 'playwright';

/** Debian's Chromium (`apt-get install chromium`). */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Chromium from reaching for the network at start-up (refused here). */
export const CLOSED_NETWORK_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
] as const;

/**
 * WebGL without a GPU: ANGLE on SwiftShader (Chromium's software Vulkan renderer). Since
 * Chromium 137 SwiftShader WebGL must be opted into with --enable-unsafe-swiftshader; with
 * both flags WebGL2 is available in dedicated workers (OffscreenCanvas) too.
 */
export const SWIFTSHADER_FLAGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] as const;

/**
 * Launch options for Playwright's chromium. `CHROMIUM_PATH` picks another browser binary;
 * `CHROMIUM_WEBGL_FLAGS` (space-separated) replaces the SwiftShader flags on a machine with a
 * GPU, e.g. `--use-gl=angle --use-angle=gl-egl --ignore-gpu-blocklist --enable-gpu` on Linux
 * with NVIDIA's EGL (README, "Browsers without a GPU").
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  const custom = process.env.CHROMIUM_WEBGL_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const webglFlags = custom.length > 0 ? custom : SWIFTSHADER_FLAGS;
  return {
    ...(executablePath === undefined ? {} : { executablePath }),
    args: [...CLOSED_NETWORK_FLAGS, ...webglFlags],
  };
}
