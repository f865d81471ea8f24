/** One finding, in the exact shape and key order `openspec validate --json` prints. */
export type IssueLevel = 'ERROR' | 'WARNING' | 'INFO';

export interface ValidationIssue {
  level: IssueLevel;
  /** Relative to the change's specs/ folder for deltas, to the change folder for tasks, or a logical path for main specs. */
  path: string;
  /** 1-based line, present only where the OpenSpec CLI gives one. */
  line?: number;
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  issues: ValidationIssue[];
  summary: { errors: number; warnings: number; info: number };
}
