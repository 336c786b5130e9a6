/** Escapes text for HTML bodies and attributes (mail templates, server-rendered pages). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
