import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer } from './renderer';

describe('isSoftwareRenderer', () => {
  it('names the CPU rasterisers as software and a GPU as not, as renderers reported them', () => {
    // As WebGL reported them to headless Chromium 156 on the 2-core VM and on a lent H100 (2026-11-27), one as the backend badge shows it.
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Mesa/X.org, llvmpipe (LLVM 15.0.6 256 bits), OpenGL ES 3.2)')).toBe(true);
    expect(isSoftwareRenderer('WebGL on ANGLE (NVIDIA Corporation, NVIDIA H100 80GB HBM3/PCIe/SSE2, OpenGL ES 3.2)')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, Vulkan 1.4.312 (NVIDIA NVIDIA H100 80GB HBM3 (0x00002330)), NVIDIA)')).toBe(false);
    expect(isSoftwareRenderer(null)).toBe(false);
  });
});
