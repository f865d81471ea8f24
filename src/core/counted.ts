/** "1 finding", "3 findings", "0 findings": a count with its noun in the number the count asks for. */
export function counted(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
