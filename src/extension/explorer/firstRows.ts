/** How long the models' first scan waits at most for the Changes view to ask for its rows, in ms. */
const FIRST_ROWS_WAIT_MS = 300;

/**
 * When the Changes view has had its first rows (the listed change names): the models' first scan waits for it,
 * for FIRST_ROWS_WAIT_MS at most. The scan is seconds of sliced work on a thousand-change project; started at
 * once, it shared the host thread and a core with the workbench while the view was being filled, and the first
 * rows painted about 150 ms later. A hidden view never asks, and the scan starts after the wait.
 */
export function firstRowsSignal(waitMs = FIRST_ROWS_WAIT_MS): { answered: () => void; done: Promise<void> } {
  let answered!: () => void;
  const asked = new Promise<void>((resolve) => (answered = resolve));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
  const done = Promise.race([asked, waited]).finally(() => clearTimeout(timer));
  return { answered, done };
}
