import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { INVITATION_COLOURS, options, ROLES } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  InvitationsDocument,
  InviteMemberDocument,
  type MemberRole,
  ResendInvitationDocument,
  RevokeInvitationDocument,
} from '../../gql/graphql';

/** An invitation that can still be sent again or withdrawn. */
const open = (i: { status: string }) => i.status === 'PENDING' || i.status === 'EXPIRED';

/**
 * An organisation's invitations with an invite form: an admin's own organisation (`organisationId`
 * unset), or, for a platform administrator, a new organisation's first admin (`onlyRole` ORG_ADMIN).
 */
export function InvitationList({ organisationId, onlyRole }: { organisationId?: string; onlyRole?: MemberRole }) {
  const { t } = useTranslation();
  const variables = { organisationId };
  const { data, error, refetch } = useQuery(InvitationsDocument, { variables, fetchPolicy: 'network-only' });
  const [invite, inviting] = useMutation(InviteMemberDocument);
  const [resend] = useMutation(ResendInvitationDocument);
  const [revoke] = useMutation(RevokeInvitationDocument);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>(onlyRole ?? 'ANALYST');
  const [sent, setSent] = useState<string | null>(null);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setSent(null);
    void invite({ variables: { email, role, organisationId } })
      .then(() => {
        setSent(email);
        setEmail('');
        return refetch();
      })
      .catch(() => undefined);
  };

  return (
    <Stack>
      <Title order={2} size="h3">
        {t('members.invitations')}
      </Title>
      <form onSubmit={submit} aria-label={t('members.inviteForm')}>
        <Group align="flex-end">
          <TextInput
            label={t('members.email')}
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          {!onlyRole && (
            <Select
              label={t('members.role')}
              allowDeselect={false}
              data={options(t, 'role', ROLES)}
              value={role}
              onChange={(v) => v && setRole(v as MemberRole)}
            />
          )}
          <Button type="submit" loading={inviting.loading}>
            {onlyRole ? t('members.inviteFirstAdmin') : t('members.invite')}
          </Button>
        </Group>
      </form>
      <ErrorNotice error={inviting.error ?? error} />
      {sent && (
        <Text role="status" fw={600}>
          {t('members.sent', { email: sent })}
        </Text>
      )}
      {data && (
        <DataTable
          rows={data.invitations}
          rowKey={(i) => i.id}
          minWidth={600}
          empty={t('members.noInvitations')}
          columns={[
            { header: t('members.email'), cell: (i) => i.email },
            { header: t('members.role'), cell: (i) => t(`enums.role.${i.role}`) },
            {
              header: t('members.status'),
              cell: (i) => (
                <Badge color={INVITATION_COLOURS[i.status]} variant="filled">
                  {t(`enums.invitationStatus.${i.status}`)}
                </Badge>
              ),
            },
            { header: t('members.expires'), cell: (i) => dateTime(i.expiresAt) },
          ]}
          actions={[
            {
              label: t('members.resend'),
              when: open,
              name: (i) => `${t('members.resend')} ${i.email}`,
              title: t('members.resendTitle'),
              effect: (i) => t('members.resendEffect', { email: i.email }),
              color: 'blue',
              run: (i) => resend({ variables: { id: i.id } }).then(() => refetch()),
            },
            {
              label: t('members.revoke'),
              when: open,
              name: (i) => `${t('members.revoke')} ${i.email}`,
              title: t('members.revokeTitle'),
              effect: (i) => t('members.revokeEffect', { email: i.email }),
              run: (i) => revoke({ variables: { id: i.id } }).then(() => refetch()),
            },
          ]}
        />
      )}
    </Stack>
  );
}
