/** Small pieces of the page's English. */

/** "1 epoch", "3 epochs": a count and its noun, plural when the count is not one. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
