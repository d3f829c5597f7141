/**
 * Bytes as base64 text and back, with the platform's btoa/atob: run files carry a model's
 * weights this way, share links their deflated specs (in the URL-safe alphabet). Pure.
 */

/** Bytes → standard base64, padded (RFC 4648 §4). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its characters as arguments, and arguments are limited.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Standard base64 (whitespace ignored) → bytes; null when the text is not base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
}
