/** The counts a caller adds to the closing `N passed, N failed` line; written as JSON by the test runs. */
export interface TestSummary {
  readonly suite: string;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly durationMs: number;
}
