/**
 * Vite config: React, ES-module workers, and the security headers every server we run
 * (dev, preview, Playwright, bench) must send: cross-origin isolation (COOP/COEP, so WASM
 * threads can use SharedArrayBuffer) and a Content-Security-Policy that keeps every script,
 * worker and fetch on the page's own origin.
 */
import { createHash } from 'node:crypto';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** The React Fast Refresh preamble is the only inline script; dev's CSP allows it by hash. */
const PREAMBLE_HASH = createHash('sha256')
  .update(react.preambleCode.replace('__BASE__', '/'))
  .digest('base64');

function contentSecurityPolicy(dev: boolean): string {
  const scripts = ["'self'", "'wasm-unsafe-eval'", ...(dev ? [`'sha256-${PREAMBLE_HASH}'`] : [])];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "worker-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(dev: boolean): Record<string, string> {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': contentSecurityPolicy(dev),
    'X-Content-Type-Options': 'nosniff',
  };
}

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  server: { headers: securityHeaders(true) },
  preview: { headers: securityHeaders(false) },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
