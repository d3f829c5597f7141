/** A `.wat` import (WebAssembly text) is its compiled module's bytes: the `wat` plugin in vite.config.ts. */
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
