/**
 * Byte compatibility with kubeseal and the controller: the upstream vectors decrypt with our code,
 * and what we seal decrypts with the test key through an independent implementation (WebCrypto,
 * written here from the format description, sharing no code with src/secrets).
 */
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { expect, it } from 'vitest';
import { oaepLabel, publicKeyFromCert, seal, unseal, type Scope } from '../../src/secrets/crypto.js';
import { conformance, describeWithConformance, hasConformance } from '../helpers.js';

const dir = conformance('sealed-secrets');
const read = (f: string) => (hasConformance ? readFileSync(`${dir}/${f}`) : Buffer.alloc(0));
const keyPem = read('key.pem').toString('utf8');
const certPem = read('cert.pem');
const vectors: { scope: Scope; namespace: string; name: string; plaintext: string; label: string; ciphertextBase64: string }[] = hasConformance
  ? JSON.parse(read('vectors.json').toString('utf8'))
  : [];

/** The controller's algorithm, independently: WebCrypto RSA-OAEP(SHA-256, label) then AES-256-GCM with a zero nonce. */
async function controllerDecrypt(ciphertext: Buffer, label: string): Promise<string> {
  const { createPrivateKey } = await import('node:crypto');
  const pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const rsa = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
  const n = ciphertext.readUInt16BE(0);
  const sessionKey = await webcrypto.subtle.decrypt({ name: 'RSA-OAEP', label: new TextEncoder().encode(label) }, rsa, ciphertext.subarray(2, 2 + n));
  const aes = await webcrypto.subtle.importKey('raw', sessionKey, 'AES-GCM', false, ['decrypt']);
  const plain = await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 128 }, aes, ciphertext.subarray(2 + n));
  return new TextDecoder().decode(plain);
}

describeWithConformance('sealed-secrets encryption', () => {
  it.each(vectors)('decrypts the upstream $scope vector', (v) => {
    expect(oaepLabel(v.scope, v.namespace, v.name).toString()).toBe(v.label);
    expect(unseal(keyPem, Buffer.from(v.ciphertextBase64, 'base64'), oaepLabel(v.scope, v.namespace, v.name)).toString()).toBe(v.plaintext);
  });

  it.each(vectors)('seals for the $scope scope so the controller decrypts it', async (v) => {
    const sealed = seal(publicKeyFromCert(certPem), Buffer.from(v.plaintext), oaepLabel(v.scope, v.namespace, v.name));
    expect(sealed.readUInt16BE(0)).toBe(256);
    expect(await controllerDecrypt(sealed, v.label)).toBe(v.plaintext);
    // Fresh session key each time: two seals of one value differ.
    expect(seal(publicKeyFromCert(certPem), Buffer.from(v.plaintext), oaepLabel(v.scope, v.namespace, v.name)).equals(sealed)).toBe(false);
  });

  it('binds a strict value to its namespace and name', async () => {
    const sealed = seal(publicKeyFromCert(certPem), Buffer.from('x'), oaepLabel('strict', 'ns', 'a'));
    await expect(controllerDecrypt(sealed, 'ns/b')).rejects.toThrow();
    expect(() => unseal(keyPem, sealed, oaepLabel('strict', 'other', 'a'))).toThrow();
  });

  it('rejects a certificate that is not one', () => {
    expect(() => publicKeyFromCert('not a cert')).toThrow(/not a PEM X.509 certificate/);
  });
});
