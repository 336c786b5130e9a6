import { useMutation, useQuery } from '@apollo/client/react';
import { Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { options, ROLES } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  ChangeMemberRoleDocument,
  type MemberRole,
  OrganisationMembersDocument,
  RemoveMemberDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { useSession } from '../../session/useSession';
import { InvitationList } from './InvitationList';
import { MemberAlerts } from './MemberAlerts';
import { NotificationFailures } from './NotificationFailures';
import { ActionsHeader } from '../../components/ActionsHeader';

/** A member's role, changed only after its effect was stated. */
function RoleChange({
  userId,
  name,
  role,
  onDone,
}: {
  userId: string;
  name: string;
  role: MemberRole;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [next, setNext] = useState<MemberRole>(role);
  const [change] = useMutation(ChangeMemberRoleDocument);
  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        aria-label={t('members.roleOf', { name })}
        size="xs"
        w={150}
        allowDeselect={false}
        data={options(t, 'role', ROLES)}
        value={next}
        onChange={(v) => v && setNext(v as MemberRole)}
      />
      {next !== role && (
        <ConfirmButton
          label={t('members.apply')}
          title={t('members.roleTitle')}
          effect={t(`members.roleEffect.${next}`, { name })}
          confirm={t('members.apply')}
          onConfirm={() => change({ variables: { userId, role: next } }).then(onDone)}
        />
      )}
    </Group>
  );
}

export default function MembersPage() {
  const { t } = useTranslation();
  const current = useSession();
  const { data, loading, error, refetch } = useQuery(OrganisationMembersDocument, { fetchPolicy: 'network-only' });
  // Everyone sees who belongs; only its admins change anything (and the server refuses the others).
  const admin = useQuery(ViewerDocument).data?.me.role === 'ORG_ADMIN';
  const [remove] = useMutation(RemoveMemberDocument);
  const members = data?.members.edges.map((e) => e.node) ?? [];
  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        {t('members.title', { organisation: current?.organisation?.name ?? '' })}
      </Title>
      <Text>{t('members.help')}</Text>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && (
        <Table.ScrollContainer minWidth={700}>
          <Table aria-label={t('members.list')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('members.name')}</Table.Th>
                <Table.Th>{t('members.email')}</Table.Th>
                <Table.Th>{t('members.role')}</Table.Th>
                <Table.Th>{t('members.joined')}</Table.Th>
                <ActionsHeader />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>{m.displayName}</Table.Td>
                  <Table.Td>{m.email}</Table.Td>
                  <Table.Td>
                    {admin ? (
                      <RoleChange userId={m.userId} name={m.displayName} role={m.role} onDone={() => void refetch()} />
                    ) : (
                      t(`enums.role.${m.role}`)
                    )}
                  </Table.Td>
                  <Table.Td>{dateTime(m.joinedAt)}</Table.Td>
                  <Table.Td>
                    {admin && (
                      <Group gap="xs" wrap="nowrap">
                        <MemberAlerts userId={m.userId} name={m.displayName} />
                        <ConfirmButton
                          label={t('members.remove')}
                          aria-label={`${t('members.remove')} ${m.displayName}`}
                          title={t('members.removeTitle')}
                          effect={t('members.removeEffect', { name: m.displayName })}
                          confirm={t('members.remove')}
                          onConfirm={() => remove({ variables: { userId: m.userId } }).then(() => refetch())}
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
      {admin && <InvitationList />}
      {admin && <NotificationFailures nameOf={(id) => members.find((m) => m.userId === id)?.displayName ?? id} />}
    </Stack>
  );
}
