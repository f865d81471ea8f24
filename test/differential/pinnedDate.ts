export {};

/*
 * Preloaded (`node --require`) into a process whose clock must read one fixed day: `new Date()` and `Date.now()`
 * give local noon of OPENSPEC_PINNED_DATE (YYYY-MM-DD), so an archive run near midnight cannot name its folder
 * after another day than the run beside it. Dates built from arguments are untouched.
 */
const pinned = process.env['OPENSPEC_PINNED_DATE'];
const match = pinned ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(pinned) : null;
if (match) {
  const RealDate = Date;
  const instant = new RealDate(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12).getTime();
  class PinnedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(instant);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return instant;
    }
  }
  globalThis.Date = PinnedDate as DateConstructor;
}
