import { escapeHtml } from '../common/html';
import { MemberRole } from '../common/organisation-type';
import { Tlp } from '../common/tlp';
import { defang, IndicatorType } from '../shared/indicator-rules';

/**
 * Every e-mail the platform sends, in one place: subject, plain text and HTML. Templates take only
 * what they show; the services decide who may receive what (ARCHITECTURE.md §4).
 */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

interface MailBulletin {
  title: string;
  summary: string;
  severity: string;
  category: string;
  ports: string[];
  tlp: Tlp;
  indicators?: { type: IndicatorType; value: string }[];
}

/** Indicators as a mail lists them: addresses, domains and links defanged, so no mail client makes them clickable. */
const indicatorLines = (indicators: MailBulletin['indicators'] = []) =>
  indicators.map((i) => `${i.type.toLowerCase().replace(/_/g, ' ')}: ${defang(i.type, i.value)}`);

/** Markings whose content never travels by e-mail: the mail says only that something was shared. */
export const LINK_ONLY = [Tlp.AMBER_STRICT, Tlp.RED];

/** The marking as TLP 2.0 writes it (`TLP:AMBER+STRICT`). */
export const tlpLabel = (tlp: Tlp) => `TLP:${tlp.replace('_', '+')}`;

export function bulletinMail(b: MailBulletin, kind: string, link: string, unsubscribe: string): MailContent {
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
  const indicators = indicatorLines(b.indicators);
  const listed = indicators.length ? `\nIndicators:\n${indicators.map((l) => `- ${l}`).join('\n')}\n` : '';
  return {
    subject: `[${label}] [${b.severity}] ${b.title}`,
    text: `${label}: share only as the marking allows.\n\nBulletin ${what}: ${b.title}\n${facts}\n\n${b.summary}\n${listed}\n${link}\n\nUnsubscribe: ${unsubscribe}\n`,
    html: `<p><strong>${label}</strong>: share only as the marking allows.</p>
<h2>${escapeHtml(b.title)}</h2><p>Bulletin ${what}. ${escapeHtml(facts).replace(/\n/g, '<br>')}</p>
<p>${escapeHtml(b.summary)}</p>${
      indicators.length
        ? `<p>Indicators:</p><ul>${indicators.map((l) => `<li><code>${escapeHtml(l)}</code></li>`).join('')}</ul>`
        : ''
    }<p><a href="${escapeHtml(link)}">Open on Harbourwatch</a></p>
<p><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`,
  };
}

/** A role as a sentence says it (the invitation), never the enum's name. */
const ROLE_IN_WORDS: Record<MemberRole, string> = {
  [MemberRole.ORG_ADMIN]: 'an administrator',
  [MemberRole.ANALYST]: 'an analyst',
  [MemberRole.MEMBER]: 'a member',
  [MemberRole.DPO]: 'the data protection officer',
};

export function invitationMail(p: {
  organisation: string;
  role: MemberRole;
  link: string;
  expiresAt: Date;
}): MailContent {
  const expires = p.expiresAt.toUTCString();
  return {
    subject: `Invitation to join ${p.organisation} on Harbourwatch`,
    text: [
      `You have been invited to join ${p.organisation} on Harbourwatch as ${ROLE_IN_WORDS[p.role]}.`,
      '',
      `Accept the invitation: ${p.link}`,
      '',
      `The link works once and expires on ${expires}.`,
      'If you did not expect this invitation, ignore this e-mail.',
    ].join('\n'),
    html: `<p>You have been invited to join <strong>${escapeHtml(p.organisation)}</strong> on Harbourwatch as ${ROLE_IN_WORDS[p.role]}.</p>
<p><a href="${escapeHtml(p.link)}">Accept the invitation</a></p>
<p>The link works once and expires on ${escapeHtml(expires)}.<br>If you did not expect this invitation, ignore this e-mail.</p>`,
  };
}

/** One line of the daily digest: markings that never travel by e-mail show only the marking and the link. */
export interface DigestEntry {
  title: string;
  severity: string;
  tlp: Tlp;
  kind: string;
  link: string;
}

export function digestMail(entries: DigestEntry[], day: string): MailContent {
  const plural = entries.length === 1 ? '' : 's';
  return linkListMail(
    `Harbourwatch daily digest, ${day}: ${entries.length} bulletin${plural}`,
    'Bulletins matching your subscriptions since the last digest:',
    entries.map((e) => ({
      label: LINK_ONLY.includes(e.tlp)
        ? `a bulletin marked ${tlpLabel(e.tlp)}`
        : `[${tlpLabel(e.tlp)}] [${e.severity}] ${e.title}`,
      note: e.kind.toLowerCase(),
      link: e.link,
    })),
  );
}

/** The daily reminder to a vetting authority's admins: what expires soon, links only to the records. */
export function vettingReminderMail(entries: { label: string; link: string }[], withinDays: number): MailContent {
  const plural = entries.length === 1 ? '' : 's';
  return linkListMail(
    `Harbourwatch: ${entries.length} vetting record${plural} expiring soon`,
    `${entries.length} vetting record${plural} will expire within ${withinDays} days:`,
    entries,
  );
}

/**
 * A response the author asked for: at half time to the recipient organisation's analysts, at the
 * deadline to its admins. Markings whose content never travels by e-mail show the marking and the link only.
 */
export function responseReminderMail(
  b: { title: string; tlp: Tlp },
  p: { author: string; dueAt: Date; overdue: boolean; link: string },
): MailContent {
  const label = tlpLabel(b.tlp);
  const what = LINK_ONLY.includes(b.tlp) ? `A bulletin marked ${label}` : `[${label}] ${b.title}`;
  const due = p.dueAt.toUTCString();
  const line = p.overdue
    ? `${what} from ${p.author} asked your organisation to respond by ${due}. No response has been recorded.`
    : `${what} from ${p.author} asks your organisation to respond by ${due}.`;
  return {
    subject: p.overdue
      ? `[${label}] Overdue: your organisation's response on Harbourwatch`
      : `[${label}] Your organisation's response is due on Harbourwatch`,
    text: `${line}\n\nRespond on Harbourwatch: ${p.link}\n`,
    html: `<p>${escapeHtml(line)}</p><p><a href="${escapeHtml(p.link)}">Respond on Harbourwatch</a></p>`,
  };
}

/** Whistleblower case deadlines: a count and the case desk, nothing of any case (not even its id). */
export function caseReminderMail(cases: number, link: string): MailContent {
  const line = `${cases} case${cases === 1 ? ' needs' : 's need'} attention.`;
  return {
    subject: `Harbourwatch: ${line.slice(0, -1)}`,
    text: `${line}\n\n${link}\n`,
    html: `<p>${escapeHtml(line)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
  };
}

/** An introduction and a list of linked lines, as plain text and as HTML. */
function linkListMail(
  subject: string,
  intro: string,
  entries: { label: string; link: string; note?: string }[],
): MailContent {
  const note = (n?: string) => (n ? ` (${n})` : '');
  return {
    subject,
    text: `${intro}\n\n${entries.map((e) => `- ${e.label}${note(e.note)}\n  ${e.link}`).join('\n')}\n`,
    html: `<p>${escapeHtml(intro)}</p><ul>${entries
      .map((e) => `<li><a href="${escapeHtml(e.link)}">${escapeHtml(e.label)}</a>${escapeHtml(note(e.note))}</li>`)
      .join('')}</ul>`,
  };
}

export function webhookDisabledMail(p: {
  name: string;
  since: Date;
  lastError: string | null;
  link: string;
}): MailContent {
  const why = p.lastError ? `The last attempt: ${p.lastError}.` : '';
  const since = p.since.toUTCString();
  return {
    subject: `Webhook "${p.name}" was disabled on Harbourwatch`,
    text: `Your organisation's webhook "${p.name}" has failed every delivery since ${since}, so it was disabled: it gets no alerts until an organisation admin enables it again. ${why}\n\nFix the endpoint, then enable the webhook and send its failed deliveries again:\n${p.link}\n`,
    html: `<p>Your organisation's webhook <strong>${escapeHtml(p.name)}</strong> has failed every delivery since ${escapeHtml(since)}, so it was disabled: it gets no alerts until an organisation admin enables it again. ${escapeHtml(why)}</p>
<p><a href="${escapeHtml(p.link)}">Fix the endpoint, then enable the webhook and send its failed deliveries again</a></p>`,
  };
}

export function factorsResetMail(p: { organisation: string; link: string }): MailContent {
  return {
    subject: 'Your Harbourwatch sign-in factors were reset',
    text: `An administrator of ${p.organisation} removed your passkeys and your authenticator app from your Harbourwatch account, and ended your sessions, as you asked after losing them. Sign in with your password, then add a passkey:\n${p.link}\n\nIf you did not ask for this, tell your organisation's administrators and your security officer at once.\n`,
    html: `<p>An administrator of ${escapeHtml(p.organisation)} removed your passkeys and your authenticator app from your Harbourwatch account, and ended your sessions, as you asked after losing them.</p>
<p><a href="${escapeHtml(p.link)}">Sign in with your password, then add a passkey</a></p>
<p>If you did not ask for this, tell your organisation's administrators and your security officer at once.</p>`,
  };
}

export function memberJoinedMail(p: { organisation: string; email: string; role: string; link: string }): MailContent {
  return {
    subject: `${p.email} joined ${p.organisation} on Harbourwatch`,
    text: `${p.email} signed in through ${p.organisation}'s identity provider for the first time and became a member (${p.role}), as its settings allow for their e-mail domain.\n\nIf they should not be a member, remove them, and change who may join on the Identity desk:\n${p.link}\n`,
    html: `<p>${escapeHtml(p.email)} signed in through ${escapeHtml(p.organisation)}'s identity provider for the first time and became a member (${escapeHtml(p.role)}), as its settings allow for their e-mail domain.</p>
<p><a href="${escapeHtml(p.link)}">If they should not be a member, remove them, and change who may join on the Identity desk</a></p>`,
  };
}

/**
 * Telling an author that another bulletin relates to theirs: the shared values (defanged) and the other
 * bulletin's title where its marking lets content travel by e-mail; for AMBER+STRICT and RED, a link only.
 */
export function correlationMail(p: {
  kind: 'BULLETIN' | 'SIGHTING';
  tlp: Tlp;
  title: string;
  shared: { type: IndicatorType; value: string }[];
  yours: number;
  link: string;
  settings: string;
}): MailContent {
  const label = tlpLabel(p.tlp);
  const what =
    p.kind === 'SIGHTING'
      ? 'A value of a bulletin you wrote was sighted on another bulletin'
      : `A later bulletin shares indicators with ${p.yours === 1 ? 'a bulletin' : `${p.yours} bulletins`} you wrote`;
  const stop = `You receive these because you asked for them; stop them on the Alerts desk: ${p.settings}`;
  if (LINK_ONLY.includes(p.tlp)) {
    return {
      subject: `[${label}] ${what}`,
      text: `${label}\n\n${what}. Read it on Harbourwatch:\n${p.link}\n\n${stop}\n`,
      html: `<p><strong>${label}</strong></p><p>${what}.</p><p><a href="${escapeHtml(p.link)}">Read it on Harbourwatch</a></p>
<p>${escapeHtml(stop)}</p>`,
    };
  }
  const lines = indicatorLines(p.shared);
  return {
    subject: `[${label}] ${what}: ${p.title}`,
    text: `${label}: share only as the marking allows.\n\n${what}: ${p.title}\n\nShared:\n${lines.map((l) => `- ${l}`).join('\n')}\n\n${p.link}\n\n${stop}\n`,
    html: `<p><strong>${label}</strong>: share only as the marking allows.</p><p>${escapeHtml(what)}: <strong>${escapeHtml(p.title)}</strong></p>
<p>Shared:</p><ul>${lines.map((l) => `<li><code>${escapeHtml(l)}</code></li>`).join('')}</ul>
<p><a href="${escapeHtml(p.link)}">Open on Harbourwatch</a></p><p>${escapeHtml(stop)}</p>`,
  };
}
