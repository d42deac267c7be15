/*
 * Verifies an edition's signature in the browser over the UTF-8 bytes of the text exactly as the
 * server served them, with the public key the edition names (its key_id; after a rotation that is
 * an older, retired key), as the OpenSSL commands of docs/keys.md do:
 * - Ed25519 (`ed25519-blake2b` suite) with WebCrypto, like `openssl pkeyutl -verify -rawin`;
 * - SM2 with SM3 (`sm2-sm3` suite) with sm-crypto: the DER (r, s) signature over
 *   SM3(Z ‖ M), Z binding the GB/T 35276 user id 1234567812345678 and the key, like
 *   `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678`.
 * Answers 'ok', 'bad', or 'unsupported' (no WebCrypto Ed25519, not a secure context, a key
 * that is not of its algorithm, or an algorithm the console does not know).
 */
import { sm2 } from 'sm-crypto';

export type Verdict = 'ok' | 'bad' | 'unsupported';

/* GB/T 35276: the user id both egov and the documented openssl command use. */
export const SM2_USER_ID = '1234567812345678';

function b64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function pemBody(pem: string): Uint8Array {
  return b64(pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, ''));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyEd25519(pem: string, signature: string, text: string): Promise<Verdict> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return 'unsupported';
  let key: CryptoKey;
  try {
    key = await subtle.importKey('spki', pemBody(pem), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const ok = await subtle.verify({ name: 'Ed25519' }, key, b64(signature), new TextEncoder().encode(text));
  return ok ? 'ok' : 'bad';
}

/*
 * The uncompressed point 04 ‖ x ‖ y of an SM2 SubjectPublicKeyInfo: the BIT STRING that ends the
 * DER (one unused-bits octet 00, then 65 octets). Null when the key has not that shape.
 */
export function sm2PointHex(pem: string): string | null {
  let der: Uint8Array;
  try {
    der = pemBody(pem);
  } catch {
    return null;
  }
  if (der.length < 68 || der[der.length - 65] !== 0x04 || der[der.length - 66] !== 0x00 || der[der.length - 67] !== 0x42) return null;
  return hex(der.subarray(der.length - 65));
}

export function verifySm2(pem: string, signature: string, text: string): Verdict {
  const point = sm2PointHex(pem);
  if (!point) return 'unsupported';
  let sig: string;
  try {
    sig = hex(b64(signature));
  } catch {
    return 'bad';
  }
  const ok = sm2.doVerifySignature(new TextEncoder().encode(text), sig, point, { der: true, hash: true, userId: SM2_USER_ID });
  return ok ? 'ok' : 'bad';
}

/* One check for any edition: the algorithm is the one the signing-key list gives its key. */
export async function verifyEdition(algorithm: string, pem: string, signature: string, text: string): Promise<Verdict> {
  if (algorithm === 'ed25519') return verifyEd25519(pem, signature, text);
  if (algorithm === 'sm2') return verifySm2(pem, signature, text);
  return 'unsupported';
}
