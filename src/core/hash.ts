import type * as NodeCrypto from 'node:crypto';

let crypto: typeof NodeCrypto | undefined;

/**
 * Node's crypto module, loaded at first use: loading it costs a command about 9 ms, and validating one change
 * hashes nothing.
 */
function nodeCrypto(): typeof NodeCrypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at start
  return (crypto ??= require('node:crypto') as typeof NodeCrypto);
}

/** The hex SHA-256 of a text's UTF-8 bytes: how journals, proposals and the feedback memory name a text. */
export function sha256(text: string): string {
  return nodeCrypto().createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `bytes` random bytes in hex, from the system's secure source: names nobody can guess or collide with. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
