/** A cell quoted, and a leading formula character neutralised: the file is opened in spreadsheets. */
const csvCell = (value: string | number | null | undefined) => {
  const text = value == null ? '' : String(value);
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
};

/** Rows (the first one the header) as CSV text, CRLF-separated as RFC 4180 says. */
export const toCsv = (rows: readonly (readonly (string | number | null | undefined)[])[]) =>
  rows.map((row) => row.map(csvCell).join(',')).join('\r\n');

/** Hands the browser a file made in the page (nothing is written to the page's storage). */
export function saveFile(content: Blob | string, filename: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type }) : content);
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  // Revoked once the browser has taken the file (at once would cancel the download).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
