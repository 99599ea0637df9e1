/**
 * Deterministic GUIDs: a name-based UUID (RFC 9562 version 5, SHA-1) of the
 * parts that identify a thing, so the same input exports to the same project.
 */
import { createHash } from 'node:crypto';

// relcode's own namespace (random once); changing it would change every exported GUID.
const NAMESPACE = Buffer.from('3f0c1b0e5a9d5f6a8b7e2c4d1a6f9e80', 'hex');

export function guid(...parts: (string | number)[]): string {
  const h = createHash('sha1').update(NAMESPACE);
  // length-prefixed, so ("ab","c") and ("a","bc") differ
  for (const p of parts) {
    const s = String(p);
    h.update(`${Buffer.byteLength(s)}:${s};`);
  }
  const b = h.digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`.toUpperCase();
}
