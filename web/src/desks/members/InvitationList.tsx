import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
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
import { ActionsHeader } from '../../components/ActionsHeader';

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
      {data && data.invitations.length === 0 && <Text c="dimmed">{t('members.noInvitations')}</Text>}
      {data && data.invitations.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('members.email')}</Table.Th>
                <Table.Th>{t('members.role')}</Table.Th>
                <Table.Th>{t('members.status')}</Table.Th>
                <Table.Th>{t('members.expires')}</Table.Th>
                <ActionsHeader />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.invitations.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.email}</Table.Td>
                  <Table.Td>{t(`enums.role.${i.role}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={INVITATION_COLOURS[i.status]} variant="filled">
                      {t(`enums.invitationStatus.${i.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{dateTime(i.expiresAt)}</Table.Td>
                  <Table.Td>
                    {(i.status === 'PENDING' || i.status === 'EXPIRED') && (
                      <Group gap="xs" wrap="nowrap">
                        <ConfirmButton
                          label={t('members.resend')}
                          aria-label={`${t('members.resend')} ${i.email}`}
                          title={t('members.resendTitle')}
                          effect={t('members.resendEffect', { email: i.email })}
                          confirm={t('members.resend')}
                          color="blue"
                          onConfirm={() => resend({ variables: { id: i.id } }).then(() => refetch())}
                        />
                        <ConfirmButton
                          label={t('members.revoke')}
                          aria-label={`${t('members.revoke')} ${i.email}`}
                          title={t('members.revokeTitle')}
                          effect={t('members.revokeEffect', { email: i.email })}
                          confirm={t('members.revoke')}
                          onConfirm={() => revoke({ variables: { id: i.id } }).then(() => refetch())}
                        />
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
