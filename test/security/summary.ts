/** One line per attack category, printed after the suite (e.g. `jwt: 9 cases, 0 accepted`). */
export function printSummary(line: string): void {
  process.stdout.write(`\n[security] ${line}\n`);
}
