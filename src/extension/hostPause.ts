import { eventLoopPause } from '../node/eventLoopPause';

/**
 * The one pause of the extension host thread, shared by the model scans, validation, issue location and
 * lint: every other extension waits while one of them runs, so none holds the thread for long.
 */
export const hostPause = eventLoopPause();
