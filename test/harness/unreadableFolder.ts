import { chmodSync } from 'node:fs';

/**
 * Takes every permission off `dir` (chmod 000) and returns what gives them back. A process running as root
 * reads such a folder all the same (it holds CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so run the process
 * under test through `permissionCheckedLauncher()`: the permissions then stop it as they stop any user.
 */
export function makeUnreadable(dir: string): () => void {
  chmodSync(dir, 0o000);
  return () => chmodSync(dir, 0o755);
}

/**
 * Nothing for a normal user; for root, `setpriv` (util-linux) dropping the two capabilities that bypass file
 * permissions, so the child meets the permission bits of `makeUnreadable` like anyone else.
 */
export function permissionCheckedLauncher(): string[] {
  if (process.getuid?.() !== 0) return [];
  const capabilities = '-dac_override,-dac_read_search';
  return ['setpriv', '--bounding-set', capabilities, '--inh-caps', capabilities];
}
