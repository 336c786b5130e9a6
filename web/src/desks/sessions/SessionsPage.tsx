import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { dateTime } from '../../format/time';
import { EndSessionDocument, MySessionsDocument } from '../../gql/graphql';
import { signOut } from '../../session/session';
import { DataTable } from '../../components/DataTable';

export default function SessionsPage() {
  const { t } = useTranslation();
  const { data, loading, error, refetch } = useQuery(MySessionsDocument, { fetchPolicy: 'network-only' });
  const [end, ending] = useMutation(EndSessionDocument);
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('sessions.title')}
      </Title>
      <Text>{t('sessions.help')}</Text>
      <ErrorNotice error={error ?? ending.error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          rows={data.mySessions}
          rowKey={(s) => s.id}
          minWidth={400}
          columns={[
            { header: t('sessions.organisation'), cell: (s) => s.organisation?.name ?? '—' },
            {
              header: t('sessions.started'),
              cell: (s) => (
                <Group gap="xs">
                  {dateTime(s.createdAt)}
                  {s.current && <Badge variant="filled">{t('sessions.current')}</Badge>}
                </Group>
              ),
            },
            { header: t('sessions.expires'), cell: (s) => dateTime(s.expiresAt) },
          ]}
          actions={[
            {
              label: t('sessions.end'),
              when: (s) => !s.current,
              run: (s) => end({ variables: { id: s.id } }).then(() => refetch()),
            },
          ]}
        />
      )}
      <Button color="red" variant="outline" w="fit-content" onClick={() => void signOut(true)}>
        {t('sessions.everywhere')}
      </Button>
    </Stack>
  );
}
