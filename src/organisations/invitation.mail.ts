import { escapeHtml } from '../common/html';
import { MemberRole } from './organisation-type';

export function invitationMail(p: { organisation: string; role: MemberRole; link: string; expiresAt: Date }) {
  const expires = p.expiresAt.toUTCString();
  return {
    subject: `Invitation to join ${p.organisation} on Harbourwatch`,
    text: [
      `You have been invited to join ${p.organisation} on Harbourwatch as ${p.role}.`,
      '',
      `Accept the invitation: ${p.link}`,
      '',
      `The link works once and expires on ${expires}.`,
      'If you did not expect this invitation, ignore this e-mail.',
    ].join('\n'),
    html: `<p>You have been invited to join <strong>${escapeHtml(p.organisation)}</strong> on Harbourwatch as ${escapeHtml(p.role)}.</p>
<p><a href="${escapeHtml(p.link)}">Accept the invitation</a></p>
<p>The link works once and expires on ${escapeHtml(expires)}.<br>If you did not expect this invitation, ignore this e-mail.</p>`,
  };
}
