/** "1 values" is no one's English. */
const values = (n: string) => (n === '1' ? 'one value' : `${n} values`);

/**
 * class-validator's default messages, said in the product's words: what is expected, not how the check
 * is written ("validUntil must be a Date instance" becomes "validUntil must be a date and time, such as
 * 2026-12-01T18:00:00Z"). Messages written on a decorator (`message: ...`) are left as they are.
 */
const REPHRASED: [RegExp, string | ((match: string, n: string) => string)][] = [
  [/^each value in (\S+) /, 'each of $1 '],
  [/ must be a UUID$/, ' must be an id given by Harbourwatch'],
  [/ must be a Date instance$/, ' must be a date and time, such as 2026-12-01T18:00:00Z'],
  [/ must be longer than or equal to (\d+) characters?$/, ' must have at least $1 characters'],
  [/ must be shorter than or equal to (\d+) characters?$/, ' must have at most $1 characters'],
  [/ must contain no more than (\d+) elements$/, (_, n) => ` may list at most ${values(n)}`],
  [/ must contain at least (\d+) elements$/, (_, n) => ` must list at least ${values(n)}`],
  [/ must be one of the following values: (.*)$/, ' must be one of $1'],
  [/ must match .* regular expression$/, ' is not in the expected form'],
  [/ must not be less than (\S+)$/, ' must be at least $1'],
  [/ must not be greater than (\S+)$/, ' must be at most $1'],
  [/ must be an integer number$/, ' must be a whole number'],
  [/ must be an email$/, ' must be an e-mail address'],
  [/ must be a boolean value$/, ' must be true or false'],
];

export function inProductWords(message: string): string {
  return REPHRASED.reduce(
    // Two calls for TypeScript's sake: String.replace takes a string or a function, not the union.
    (text, [pattern, replacement]) =>
      typeof replacement === 'string' ? text.replace(pattern, replacement) : text.replace(pattern, replacement),
    message,
  );
}
