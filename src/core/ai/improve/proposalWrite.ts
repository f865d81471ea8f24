import { documentBase, replaceIfUnchanged, type FileWriter, type WriteOutcome } from '../../fs/fileWriter';
import type { Proposal } from './improveDocument';

/**
 * Writes a proposal's text (the model's, or the user's edit of it) through the one write path: a proposal for a
 * new file creates it only while nothing is there; any other replaces the file only while it still holds the
 * text the model read. Accept, `improve --write` and every loop host write proposals this way.
 */
export function writeProposal(writer: FileWriter, proposal: Proposal, text: string): Promise<WriteOutcome> {
  return proposal.created
    ? writer.create(proposal.absolutePath, text)
    : replaceIfUnchanged(writer, proposal.absolutePath, documentBase(proposal.baseText), text);
}

/**
 * The loop's reading of a proposal write: `applied` once the file holds the text; `stale` when the file changed,
 * came to exist or went away since the model read it. A write refused for any other reason fails the step.
 */
export async function applyProposal(
  writer: FileWriter,
  proposal: Proposal,
  text: string,
): Promise<'applied' | 'stale'> {
  const outcome = await writeProposal(writer, proposal, text);
  switch (outcome.kind) {
    case 'written':
    case 'unchanged':
      return 'applied';
    case 'stale':
    case 'exists':
    case 'missing':
      return 'stale';
    case 'refused':
      throw new Error(`${proposal.file} was not written: ${outcome.reason}`);
  }
}
