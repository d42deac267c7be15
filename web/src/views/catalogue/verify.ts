/*
 * Verifies an Ed25519 signature over a text in the browser (WebCrypto), as
 * `openssl pkeyutl -verify -rawin` does: the PEM SubjectPublicKeyInfo, the base64 signature, and
 * the UTF-8 bytes of the text exactly as the server served them.
 * Answers 'ok', 'bad', or 'unsupported' (no WebCrypto Ed25519, or not a secure context).
 */
function b64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function verifyEd25519(pem: string, signature: string, text: string): Promise<'ok' | 'bad' | 'unsupported'> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return 'unsupported';
  const der = b64(pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, ''));
  let key: CryptoKey;
  try {
    key = await subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const ok = await subtle.verify({ name: 'Ed25519' }, key, b64(signature), new TextEncoder().encode(text));
  return ok ? 'ok' : 'bad';
}
