import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { sha256, type Proposal } from '../core/ai/improve/improveDocument';
import { toNative } from '../node/nodeFileSystem';
import { CommandRefusal } from './aiFailure';
import { errorMessage } from '../core/errorMessage';

/**
 * Writes the proposal over its file, only when the file still holds the text the proposal was made from:
 * an edit saved while the model was answering must not be overwritten. The new text goes to a temporary
 * file in the same folder first and is renamed over the old one, so a crash never leaves half a file.
 */
export function applyProposal(proposal: Proposal): void {
  const file = toNative(proposal.absolutePath);
  let current: string;
  try {
    current = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandRefusal(
      'fileChanged',
      `${proposal.file} can no longer be read (${errorMessage(error)}); nothing written.`,
    );
  }
  if (sha256(current) !== proposal.baseHash) {
    throw new CommandRefusal(
      'fileChanged',
      `${proposal.file}: file changed since it was read; nothing written.`,
      'Run the command again on the current text.',
    );
  }
  const temporary = nodePath.join(
    nodePath.dirname(file),
    `.${nodePath.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, proposal.proposedText, { encoding: 'utf8', mode: statSync(file).mode });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CommandRefusal(
      'writeFailed',
      `Could not write ${proposal.file}: ${errorMessage(error)}; nothing written.`,
    );
  }
}
