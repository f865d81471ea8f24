/**
 * The extensionTestsPath entry of the multi-root run (`runIntegration --multiroot`): the window holds the
 * `multiroot` fixture's workspace, and the tests here add and remove its folders.
 */
import { runTestsIn } from '../integration/index';

export function run(): Promise<void> {
  return runTestsIn(__dirname, 'integration-multiroot');
}
