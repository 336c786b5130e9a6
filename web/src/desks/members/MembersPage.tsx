import { useMutation, useQuery } from '@apollo/client/react';
import { Card, CloseButton, Group, List, Select, Stack, Text, Title } from '@mantine/core';
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
  EraseMemberDocument,
  type EraseMemberMutation,
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
  const [erase] = useMutation(EraseMemberDocument);
  const [erased, setErased] = useState<{ name: string; outcome: EraseMemberMutation['eraseMember'] } | null>(null);
  const { nodes: members } = useConnection(data?.members);
  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        {t('members.title', { organisation: current?.organisation?.name ?? '' })}
      </Title>
      <Text>{t('members.help')}</Text>
      <ErrorNotice error={error} />
      {erased && (
        <Card withBorder role="status" aria-label={t('members.erased', { name: erased.name })}>
          <Group justify="space-between" align="flex-start">
            <Stack gap="xs">
              <Text fw={700}>{t('members.erased', { name: erased.name })}</Text>
              <List size="sm">
                {erased.outcome.steps.map((s) => (
                  <List.Item key={s.category}>
                    {t(`members.erasure.${s.category}`)}:{' '}
                    {t(`enums.erasureAction.${s.action}`, { count: s.count ?? 0, label: erased.outcome.label })}
                  </List.Item>
                ))}
              </List>
            </Stack>
            <CloseButton aria-label={t('common.close')} onClick={() => setErased(null)} />
          </Group>
        </Card>
      )}
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
                  {
                    label: t('members.erase'),
                    name: (m) => `${t('members.erase')} ${m.displayName}`,
                    title: t('members.eraseTitle'),
                    effect: (m) => t('members.eraseEffect', { name: m.displayName }),
                    run: (m) =>
                      erase({ variables: { userId: m.userId } }).then((r) => {
                        if (r.data) setErased({ name: m.displayName, outcome: r.data.eraseMember });
                        return refetch();
                      }),
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
