import { escapeHtml } from '../common/html';
import { Tlp } from '../sharing/tlp';

interface MailBulletin {
  title: string;
  summary: string;
  severity: string;
  category: string;
  ports: string[];
  tlp: Tlp;
}

/** Markings whose content never travels by e-mail: the mail says only that something was shared. */
export const LINK_ONLY = [Tlp.AMBER_STRICT, Tlp.RED];

/** The marking as TLP 2.0 writes it (`TLP:AMBER+STRICT`). */
export const tlpLabel = (tlp: Tlp) => `TLP:${tlp.replace('_', '+')}`;

export function bulletinMail(b: MailBulletin, kind: string, link: string, unsubscribe: string) {
  const label = tlpLabel(b.tlp);
  const what = kind === 'PUBLISHED' ? 'published' : kind === 'REVISED' ? 'revised' : 'retracted';
  if (LINK_ONLY.includes(b.tlp)) {
    return {
      subject: `[${label}] A bulletin was ${what} for you on Harbourwatch`,
      text: `${label}\n\nA bulletin marked ${label} was shared with you (${what}). Read it on Harbourwatch:\n${link}\n\nUnsubscribe: ${unsubscribe}\n`,
      html: `<p><strong>${label}</strong></p><p>A bulletin marked ${label} was shared with you (${what}).</p>
<p><a href="${escapeHtml(link)}">Read it on Harbourwatch</a></p><p><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`,
    };
  }
  const facts = `Severity: ${b.severity}\nCategory: ${b.category}\nPorts: ${b.ports.join(', ') || '-'}`;
  return {
    subject: `[${label}] [${b.severity}] ${b.title}`,
    text: `${label}: share only as the marking allows.\n\nBulletin ${what}: ${b.title}\n${facts}\n\n${b.summary}\n\n${link}\n\nUnsubscribe: ${unsubscribe}\n`,
    html: `<p><strong>${label}</strong>: share only as the marking allows.</p>
<h2>${escapeHtml(b.title)}</h2><p>Bulletin ${what}. ${escapeHtml(facts).replace(/\n/g, '<br>')}</p>
<p>${escapeHtml(b.summary)}</p><p><a href="${escapeHtml(link)}">Open on Harbourwatch</a></p>
<p><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`,
  };
}
