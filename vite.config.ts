/**
 * Vite config: React, ES-module workers, the security headers every server we run (dev,
 * preview, Playwright, bench) must send: cross-origin isolation (COOP/COEP, so WASM threads
 * can use SharedArrayBuffer) and a Content-Security-Policy that keeps every script, worker and
 * fetch on the page's own origin; the datasets' `.gz` files served as files; and `.wat`
 * imports compiled to WebAssembly.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import initWabt from 'wabt';

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

/**
 * Serves `.gz` files under `root` (at `base`) as they are (`application/gzip`), the way a
 * static host does, so the worker's DecompressionStream inflates them. Vite's file server
 * labels every `.gz` as `Content-Encoding: gzip` instead: the browser's network process then
 * inflated MNIST's 55 MB and piped them to the worker, a path no user of a static host takes.
 * In a bare worker that took MNIST's training images 360-440 ms against 190-260 ms.
 */
function gzipFilesAsFiles(root: string, base: string, headers: Record<string, string>) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const file = pathname.startsWith(base) ? resolve(root, pathname.slice(base.length)) : '';
    const size = pathname.endsWith('.gz') && file.startsWith(root + sep) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!size?.isFile() || (request.method !== 'GET' && request.method !== 'HEAD')) {
      next();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': 'application/gzip', 'Content-Length': size.size, 'Cache-Control': 'no-cache' });
    if (request.method === 'HEAD') response.end();
    // A file removed meanwhile (a build emptying dist/) ends this response, not the server.
    else pipeline(createReadStream(file), response, (error) => error && response.destroy());
  };
}

function serveGzipAsFiles(): Plugin {
  return {
    name: 'serve-gzip-as-files',
    configureServer: ({ config, middlewares }) => {
      if (config.publicDir) middlewares.use(gzipFilesAsFiles(resolve(config.publicDir), config.base, securityHeaders(true)));
    },
    configurePreviewServer: ({ config, middlewares }) => {
      middlewares.use(gzipFilesAsFiles(resolve(config.root, config.build.outDir), config.base, securityHeaders(false)));
    },
  };
}

/**
 * `import bytes from './x.wat'`: WebAssembly text compiled to its module's bytes (a Uint8Array)
 * by wabt, the WebAssembly project's own assembler, as the module is built or tested. The
 * worker's bundle has plugins of its own, so it is listed there too.
 */
function webAssemblyText(): Plugin {
  return {
    name: 'wat',
    async transform(source, id) {
      if (!id.endsWith('.wat')) return null;
      const module = (await initWabt()).parseWat(id, source, { simd: true });
      try {
        module.validate();
        const base64 = Buffer.from(module.toBinary({}).buffer).toString('base64');
        return { code: `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`, map: null };
      } finally {
        module.destroy();
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), serveGzipAsFiles(), webAssemblyText()],
  worker: { format: 'es', plugins: () => [webAssemblyText()] },
  server: { headers: securityHeaders(true) },
  preview: { headers: securityHeaders(false) },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
