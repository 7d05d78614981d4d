/**
 * Discord signs every interaction it posts to the endpoint with the application's Ed25519
 * key: `X-Signature-Ed25519` is hex(sign(X-Signature-Timestamp + raw body)). Discord also
 * probes the endpoint with bad signatures and expects 401 for them.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** True when `hex` looks like an application public key (32 bytes in hex) as the developer portal shows it. */
export function isPublicKeyHex(hex: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(hex);
}

/** The public key from its 64 hex characters; throws on anything else. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!isPublicKeyHex(hex)) throw new Error("DISCORD_PUBLIC_KEY must be 64 hex characters (the application's public key)");
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** A checker of interaction signatures for one public key. Missing or malformed headers fail. */
export function createVerifier(publicKeyHex: string): (signature: string | undefined, timestamp: string | undefined, body: Buffer) => boolean {
  const key = publicKeyFromHex(publicKeyHex);
  return (signature, timestamp, body) => {
    if (!signature || !timestamp || !/^[0-9a-fA-F]{128}$/.test(signature)) return false;
    try {
      return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
    } catch {
      return false;
    }
  };
}
