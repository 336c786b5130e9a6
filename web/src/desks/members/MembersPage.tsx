import { useMutation, useQuery } from '@apollo/client/react';
import { Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { options, ROLES } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  ChangeMemberRoleDocument,
  type MemberRole,
  OrganisationMembersDocument,
  RemoveMemberDocument,
  ResetSignInFactorsDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';
import { useSession } from '../../session/useSession';
import { InvitationList } from './InvitationList';
import { MemberAlerts } from './MemberAlerts';
import { NotificationFailures } from './NotificationFailures';

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
  const [reset] = useMutation(ResetSignInFactorsDocument);
  const { nodes: members } = useConnection(data?.members);
  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        {t('members.title', { organisation: current?.organisation?.name ?? '' })}
      </Title>
      <Text>{t('members.help')}</Text>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          rows={members}
          rowKey={(m) => m.userId}
          label={t('members.list')}
          minWidth={700}
          columns={[
            { header: t('members.name'), cell: (m) => m.displayName },
            { header: t('members.email'), cell: (m) => m.email },
            {
              header: t('members.role'),
              cell: (m) =>
                admin ? (
                  <RoleChange userId={m.userId} name={m.displayName} role={m.role} onDone={() => void refetch()} />
                ) : (
                  t(`enums.role.${m.role}`)
                ),
            },
            { header: t('members.joined'), cell: (m) => dateTime(m.joinedAt) },
          ]}
          actions={
            admin
              ? [
                  {
                    label: t('members.alerts'),
                    element: (m) => <MemberAlerts userId={m.userId} name={m.displayName} />,
                  },
                  {
                    label: t('members.resetFactors'),
                    name: (m) => `${t('members.resetFactors')} ${m.displayName}`,
                    title: t('members.resetFactorsTitle'),
                    effect: (m) => t('members.resetFactorsEffect', { name: m.displayName }),
                    run: (m) => reset({ variables: { userId: m.userId } }).then(() => refetch()),
                  },
                  {
                    label: t('members.remove'),
                    name: (m) => `${t('members.remove')} ${m.displayName}`,
                    title: t('members.removeTitle'),
                    effect: (m) => t('members.removeEffect', { name: m.displayName }),
                    run: (m) => remove({ variables: { userId: m.userId } }).then(() => refetch()),
                  },
                ]
              : []
          }
        />
      )}
      {admin && <InvitationList />}
      {admin && <NotificationFailures nameOf={(id) => members.find((m) => m.userId === id)?.displayName ?? id} />}
    </Stack>
  );
}
