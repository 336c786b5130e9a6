import { useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dateTime } from '../../format/time';
import { NotificationFailuresDocument, RetryNotificationDocument } from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';

/** E-mails to members that failed after every retry, each sent again on request (organisation admins). */
export function NotificationFailures({ nameOf }: { nameOf: (userId: string) => string }) {
  const { t } = useTranslation();
  const { data, error, refetch } = useQuery(NotificationFailuresDocument, { fetchPolicy: 'network-only' });
  const [retry] = useMutation(RetryNotificationDocument);
  const { nodes: failures } = useConnection(data?.notificationFailures);
  return (
    <Stack gap="xs" component="section" aria-label={t('members.failures')}>
      <Title order={2} size="h3">
        {t('members.failures')}
      </Title>
      <ErrorNotice error={error} />
      {data && (
        <DataTable
          empty={t('members.noFailures')}
          rows={failures}
          rowKey={(f) => f.id}
          label={t('members.failures')}
          minWidth={700}
          columns={[
            { header: t('members.name'), cell: (f) => nameOf(f.userId) },
            {
              header: t('members.bulletin'),
              cell: (f) => (
                <Anchor component={Link} to={consolePath('bulletin', { id: f.bulletinId })}>
                  {t('members.version', { version: f.version })}
                </Anchor>
              ),
            },
            {
              header: t('members.failedAt'),
              cell: (f) => `${dateTime(f.createdAt)} · ${t('members.attempts', { count: f.attempts })}`,
            },
            { header: t('members.lastError'), cell: (f) => f.lastError },
          ]}
          actions={[
            {
              label: t('members.retry'),
              name: (f) => `${t('members.retry')} ${nameOf(f.userId)}`,
              effect: (f) => t('members.retryEffect', { name: nameOf(f.userId) }),
              run: (f) => retry({ variables: { id: f.id } }).then(() => refetch()),
            },
          ]}
        />
      )}
    </Stack>
  );
}
