import { createHash } from 'node:crypto';

/** The hex SHA-256 of a text's UTF-8 bytes: how journals, proposals and the feedback memory name a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
