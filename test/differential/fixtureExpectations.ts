import { JsonIssue } from './issueMatching';

/**
 * Checks that the reference CLI still reports what a fixture was written to trigger.
 *
 * Grammar of one expectation (see the corpus README):
 *   `status <code>`            some run printed an error envelope with that code
 *   `<type>/<id> valid`        the item passes `validate --all --json`
 *   `<type>/<id> invalid`      the item fails it
 *   `<type>/<id> clean`        the item has no issue at all
 *   `<type>/<id> <LEVEL> text` the item has an issue of that level whose message contains `text`
 */
export interface ReferenceOutputs {
  /** Parsed stdout of `validate --all --json`. */
  bulk: unknown;
  /** Parsed stdout of every run of the workspace. */
  all: unknown[];
}

interface LooseItem {
  id: string;
  type: string;
  valid: boolean;
  issues: JsonIssue[];
}

function itemsOf(report: unknown): LooseItem[] {
  const items = (report as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as LooseItem[]) : [];
}

function statusCodesOf(report: unknown): string[] {
  const status = (report as { status?: unknown } | undefined)?.status;
  return Array.isArray(status) ? status.map((entry) => String((entry as { code?: unknown }).code)) : [];
}

function checkStatus(code: string, outputs: ReferenceOutputs): string | undefined {
  const codes = outputs.all.flatMap(statusCodesOf);
  return codes.includes(code) ? undefined : `no run printed status code ${code} (saw: ${codes.join(', ') || 'none'})`;
}

/** Item ids may contain spaces, so the subject is the longest `<type>/<id>` the expectation starts with. */
function findSubject(expectation: string, items: LooseItem[]): LooseItem | undefined {
  return items
    .filter((item) => expectation.startsWith(`${item.type}/${item.id} `))
    .sort((a, b) => b.id.length - a.id.length)[0];
}

function checkOne(expectation: string, outputs: ReferenceOutputs): string | undefined {
  if (expectation.startsWith('status ')) return checkStatus(expectation.slice('status '.length), outputs);
  const item = findSubject(expectation, itemsOf(outputs.bulk));
  if (!item) return 'no item of validate --all --json matches the start of this expectation';
  const subject = `${item.type}/${item.id}`;
  const [keyword = '', ...rest] = expectation.slice(subject.length + 1).split(' ');
  switch (keyword) {
    case 'valid':
      return item.valid ? undefined : `${subject} is invalid`;
    case 'invalid':
      return item.valid ? `${subject} is valid` : undefined;
    case 'clean':
      return item.issues.length === 0 ? undefined : `${subject} has ${item.issues.length} issue(s)`;
    default: {
      const text = rest.join(' ');
      const found = item.issues.some((issue) => issue.level === keyword && issue.message.includes(text));
      return found ? undefined : `${subject} has no ${keyword} containing ${JSON.stringify(text)}`;
    }
  }
}

/** The expectations the reference output does not meet, each with the reason. */
export function unmetExpectations(expectations: string[], outputs: ReferenceOutputs): string[] {
  return expectations.flatMap((expectation) => {
    const reason = checkOne(expectation, outputs);
    return reason === undefined ? [] : [`${expectation}\n      -> ${reason}`];
  });
}
