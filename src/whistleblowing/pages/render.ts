import { escapeHtml as e } from '../../common/html';
import { ReportCategory } from '../case-enums';
import type { ReporterCase } from '../report-intake.service';
import { dayIn, LANGUAGES, STRINGS, Strings } from './strings';

/** The reporter pages: plain HTML, no script, no third-party asset; the one stylesheet comes from this server (CSP 'self'). */
function page(s: Strings, title: string, body: string, path = '/report'): string {
  // Every other language, each named in itself.
  const others = LANGUAGES.filter((l) => l !== s.lang)
    .map((l) => `<a href="${path}?lang=${l}" hreflang="${l}" lang="${l}">${e(STRINGS[l].name)}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="${s.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${e(title)}</title><link rel="icon" type="image/svg+xml" href="/favicon.svg"><link rel="stylesheet" href="/report/style.css"></head>
<body><main>
<p class="lang">${others}</p>
<h1>${e(title)}</h1>
${body}
</main></body></html>`;
}

export const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#111}
main{max-width:46rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh}
label{display:block;margin-top:1rem;font-weight:600}select,textarea,input{width:100%;box-sizing:border-box;margin-top:.3rem;font:inherit;padding:.4rem}
textarea{min-height:12rem}button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit}
.receipt{font-family:monospace;font-size:1.6rem;letter-spacing:.1rem;padding:1rem;background:#fff7d6;border:2px solid #c90}
.warning{font-weight:600;color:#8a4b00}.error{background:#fde8e8;border:1px solid #c33;padding:.6rem}.ok{background:#e6f6e6;padding:.6rem}
.lang{text-align:right}.message{border-left:3px solid #ccc;padding-left:.8rem;margin:.8rem 0}`;

const langQuery = (s: Strings) => `?lang=${s.lang}`;
/**
 * Forms that carry files name their challenge in the address, so the server checks it before reading
 * a byte of the body (a field would arrive inside the upload).
 */
const uploadAction = (path: string, s: Strings, challenge: string) =>
  `${path}${langQuery(s)}&amp;challenge=${encodeURIComponent(challenge)}`;

export function reportForm(
  s: Strings,
  recipients: { id: string; name: string }[],
  challenge: string,
  error?: string,
): string {
  if (!recipients.length) return page(s, s.title, `<p>${e(s.noRecipients)}</p>`);
  const options = recipients.map((r) => `<option value="${e(r.id)}">${e(r.name)}</option>`).join('');
  const categories = Object.values(ReportCategory)
    .map((c) => `<option value="${c}">${e(s.categories[c])}</option>`)
    .join('');
  return page(
    s,
    s.title,
    `${error ?? ''}<p>${e(s.intro)}</p><p>${e(s.advice)}</p>
<form method="post" action="${uploadAction('/report', s, challenge)}" enctype="multipart/form-data">
<label for="recipient">${e(s.recipient)}</label><select id="recipient" name="recipientOrganisationId" required>${options}</select>
<label for="category">${e(s.category)}</label><select id="category" name="category" required>${categories}</select>
<label for="text">${e(s.text)}</label><textarea id="text" name="text" required maxlength="20000"></textarea>
<label for="attachments">${e(s.attachments)}</label><input id="attachments" type="file" name="attachments" multiple>
<button type="submit">${e(s.send)}</button>
</form>
<p><a href="/report/follow-up${langQuery(s)}">${e(s.followUpLink)}</a></p>`,
  );
}

export function receiptPage(s: Strings, receipt: string): string {
  return page(
    s,
    s.receiptTitle,
    `<p>${e(s.receiptIntro)}</p>
<p class="receipt" id="receipt">${e(receipt)}</p>
<p class="warning">${e(s.receiptWarning)}</p>
<p><a href="/report/follow-up${langQuery(s)}">${e(s.followUpLink)}</a></p>`,
  );
}

export function followUpForm(s: Strings, challenge: string, error?: string): string {
  return page(
    s,
    s.followUpTitle,
    `${error ?? ''}
<form method="post" action="/report/follow-up${langQuery(s)}">
<input type="hidden" name="challenge" value="${e(challenge)}">
<label for="receipt">${e(s.receipt)}</label><input id="receipt" name="receipt" autocomplete="off" inputmode="numeric" required>
<button type="submit">${e(s.open)}</button>
</form>`,
    '/report/follow-up',
  );
}

export function casePage(s: Strings, receipt: string, challenge: string, c: ReporterCase, notice?: string): string {
  const messages = c.messages.length
    ? c.messages
        .map(
          (m) =>
            `<div class="message"><p><strong>${e(s.from[m.from])}</strong>, ${e(dayIn(s, m.at))}</p><p>${e(m.body).replace(/\n/g, '<br>')}</p></div>`,
        )
        .join('')
    : `<p>${e(s.noMessages)}</p>`;
  const files = c.attachments.length
    ? `<h2>${e(s.files)}</h2><ul>${c.attachments.map((a) => `<li>${e(a.filename)} (${a.size} B, ${e(dayIn(s, a.addedOn))})</li>`).join('')}</ul>`
    : '';
  return page(
    s,
    s.followUpTitle,
    `${notice ?? ''}
<p>${e(s.status)}: <strong id="status">${e(s.statuses[c.status])}</strong></p>
<h2>${e(s.yourReport)}</h2><p>${e(s.received)} ${e(dayIn(s, c.receivedOn))}</p><p>${e(c.text).replace(/\n/g, '<br>')}</p>
<h2>${e(s.messages)}</h2><div id="messages">${messages}</div>
${files}
<form method="post" action="${uploadAction('/report/follow-up/reply', s, challenge)}" enctype="multipart/form-data">
<input type="hidden" name="receipt" value="${e(receipt)}">
<label for="body">${e(s.reply)}</label><textarea id="body" name="body" required maxlength="20000"></textarea>
<label for="attachments">${e(s.attachments)}</label><input id="attachments" type="file" name="attachments" multiple>
<button type="submit">${e(s.sendReply)}</button>
</form>`,
    '/report/follow-up',
  );
}

export function errorBox(s: Strings, code: string, detail?: string): string {
  const known = s.errors[code as keyof Strings['errors']] ?? s.errors.INTERNAL;
  return `<p class="error" role="alert">${e(known)}${code === 'BAD_USER_INPUT' && detail ? ` ${e(detail)}` : ''}</p>`;
}

export const notice = (text: string) => `<p class="ok" role="status">${e(text)}</p>`;

export function errorPage(s: Strings, code: string, detail?: string): string {
  return page(s, s.title, `${errorBox(s, code, detail)}<p><a href="/report${langQuery(s)}">${e(s.back)}</a></p>`);
}
