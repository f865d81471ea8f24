/** The counts a caller adds to the closing `N passed, N failed` line; written as JSON by the test runs. */
export interface TestSummary {
  readonly suite: string;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly durationMs: number;
  /** Each failed test or hook by its full title, with the first line of its error: CI shows the log's tail. */
  readonly failures?: readonly { readonly title: string; readonly error: string }[];
}
