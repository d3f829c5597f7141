/** Small pieces of the page's English. */

/** A count as the page prints it, in groups of three digits: "60,000". */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 epoch", "3 epochs", "60,000 images": a count and its noun, plural when the count is not one. */
export function counted(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A time left, to the second under an hour, in whole minutes beyond: "45 s", "2 min 5 s", "1 h 25 min"; "–" when unknown. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}
