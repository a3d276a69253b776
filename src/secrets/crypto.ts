/**
 * The sealed-secrets hybrid encryption, byte-compatible with kubeseal and the controller:
 *   uint16be(len(rsaCiphertext)) || RSA-OAEP(SHA-256, label)(sessionKey) || AES-256-GCM(sessionKey, zero nonce)(plaintext)+tag
 * All cryptography is Node's; nothing here is home-made.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { UserError } from '../errors.js';

export type Scope = 'strict' | 'namespace-wide' | 'cluster-wide';

/** The OAEP label binds a value to where it may be decrypted. */
export function oaepLabel(scope: Scope, namespace: string, name: string): Buffer {
  if (scope === 'strict') return Buffer.from(`${namespace}/${name}`);
  if (scope === 'namespace-wide') return Buffer.from(namespace);
  return Buffer.alloc(0);
}

/** The controller's public key from its certificate (what `kubeseal --fetch-cert` prints). */
export function publicKeyFromCert(pem: string | Buffer): KeyObject {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new UserError('the certificate is not a PEM X.509 certificate', 'get it with: kubeseal --fetch-cert > cert.pem');
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw new UserError(`the certificate holds a ${key.asymmetricKeyType} key; sealed-secrets uses RSA`);
  return key;
}

const NONCE = Buffer.alloc(12);

export function seal(publicKey: KeyObject, plaintext: Buffer, label: Buffer): Buffer {
  const sessionKey = randomBytes(32);
  const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, sessionKey);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, NONCE);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(encryptedKey.length);
  return Buffer.concat([length, encryptedKey, body]);
}

/** The controller's side; used by tests and by `seal --verify` with a private key. */
export function unseal(privateKeyPem: string | Buffer, ciphertext: Buffer, label: Buffer): Buffer {
  const key = createPrivateKey(privateKeyPem);
  if (ciphertext.length < 2) throw new Error('ciphertext too short');
  const n = ciphertext.readUInt16BE(0);
  const sessionKey = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, ciphertext.subarray(2, 2 + n));
  const rest = ciphertext.subarray(2 + n);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, NONCE);
  decipher.setAuthTag(rest.subarray(rest.length - 16));
  return Buffer.concat([decipher.update(rest.subarray(0, rest.length - 16)), decipher.final()]);
}
