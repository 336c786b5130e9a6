import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { dateTime } from '../../format/time';
import { EndSessionDocument, MySessionsDocument } from '../../gql/graphql';
import { signOut } from '../../session/session';
import { ActionsHeader } from '../../components/ActionsHeader';

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
        <Table.ScrollContainer minWidth={400}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sessions.organisation')}</Table.Th>
                <Table.Th>{t('sessions.started')}</Table.Th>
                <Table.Th>{t('sessions.expires')}</Table.Th>
                <ActionsHeader />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.mySessions.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.organisation?.name ?? '—'}</Table.Td>
                  <Table.Td>{dateTime(s.createdAt)}</Table.Td>
                  <Table.Td>{dateTime(s.expiresAt)}</Table.Td>
                  <Table.Td>
                    {s.current ? (
                      <Badge variant="filled">{t('sessions.current')}</Badge>
                    ) : (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() =>
                          void end({ variables: { id: s.id } })
                            .then(() => refetch())
                            .catch(() => undefined)
                        }
                      >
                        {t('sessions.end')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Button color="red" variant="outline" w="fit-content" onClick={() => void signOut(true)}>
        {t('sessions.everywhere')}
      </Button>
    </Stack>
  );
}
