import { useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/console/console-routes';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dateTime } from '../../format/time';
import { NotificationFailuresDocument, RetryNotificationDocument } from '../../gql/graphql';
import { ActionsHeader } from '../../components/ActionsHeader';

/** E-mails to members that failed after every retry, each sent again on request (organisation admins). */
export function NotificationFailures({ nameOf }: { nameOf: (userId: string) => string }) {
  const { t } = useTranslation();
  const { data, error, refetch } = useQuery(NotificationFailuresDocument, { fetchPolicy: 'network-only' });
  const [retry] = useMutation(RetryNotificationDocument);
  const failures = data?.notificationFailures.edges.map((e) => e.node) ?? [];
  return (
    <Stack gap="xs" component="section" aria-label={t('members.failures')}>
      <Title order={2} size="h3">
        {t('members.failures')}
      </Title>
      <ErrorNotice error={error} />
      {data && failures.length === 0 && <Text c="dimmed">{t('members.noFailures')}</Text>}
      {failures.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table aria-label={t('members.failures')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('members.name')}</Table.Th>
                <Table.Th>{t('members.bulletin')}</Table.Th>
                <Table.Th>{t('members.failedAt')}</Table.Th>
                <Table.Th>{t('members.lastError')}</Table.Th>
                <ActionsHeader />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {failures.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>{nameOf(f.userId)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={consolePath('bulletin', { id: f.bulletinId })}>
                      {t('members.version', { version: f.version })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {dateTime(f.createdAt)} · {t('members.attempts', { count: f.attempts })}
                  </Table.Td>
                  <Table.Td>{f.lastError}</Table.Td>
                  <Table.Td>
                    <ConfirmButton
                      size="xs"
                      variant="default"
                      label={t('members.retry')}
                      aria-label={`${t('members.retry')} ${nameOf(f.userId)}`}
                      title={t('members.retry')}
                      effect={t('members.retryEffect', { name: nameOf(f.userId) })}
                      confirm={t('members.retry')}
                      onConfirm={() => retry({ variables: { id: f.id } }).then(() => refetch())}
                    />
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
