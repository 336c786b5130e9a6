import { useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { Loading } from '../../components/Loading';
import { CASE_STATUSES, options } from '../../format/enums';
import { day } from '../../format/time';
import { type CaseStatus, CaseInboxDocument } from '../../gql/graphql';
import { AttentionBadge, CaseQueryError, Deadlines } from './CaseParts';
import { useConnection } from '../../session/useConnection';

/** Days since a day (YYYY-MM-DD), as the inbox shows a case's age. */
const ageInDays = (since: string) =>
  Math.max(0, Math.floor((Date.now() - Date.parse(`${since}T00:00:00Z`)) / 86_400_000));

/** The case handlers' inbox: status, age and the Directive's deadlines; no content. */
export default function CaseInboxPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CaseStatus | null>(null);
  // Nothing about a case stays in the page's cache once the desk is left.
  const { data, error, loading, refetch, fetchMore } = useQuery(CaseInboxDocument, {
    variables: { filter: status ? { status } : null },
    fetchPolicy: 'network-only',
  });
  const page = data?.whistleblowerCases;
  const { nodes: cases, more } = useConnection(page, fetchMore);
  const needing = cases.filter((c) => c.attention).length;
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('cases.title')}
      </Title>
      <Text>{t('cases.help')}</Text>
      <CaseQueryError error={error} retry={() => void refetch()} />
      {loading && !data && <Loading />}
      {page && (
        <>
          <Group justify="space-between" align="flex-end">
            <Text fw={600} data-testid="attention-count">
              {t('cases.needAttention', { count: needing })}
            </Text>
            <Select
              label={t('cases.status')}
              placeholder={t('cases.anyStatus')}
              clearable
              w={200}
              data={options(t, 'caseStatus', CASE_STATUSES)}
              value={status}
              onChange={(v) => setStatus(v as CaseStatus | null)}
            />
          </Group>
          {cases.length === 0 && <Text c="dimmed">{t('cases.none')}</Text>}
          <Stack gap="xs" component="ul" aria-label={t('cases.inbox')} p={0} m={0} style={{ listStyle: 'none' }}>
            {cases.map((c) => (
              <Paper
                component="li"
                withBorder
                p="sm"
                key={c.id}
                style={c.attention === 'OVERDUE' ? { borderColor: 'var(--mantine-color-red-9)', borderWidth: 2 } : {}}
              >
                <Group justify="space-between" gap="xs">
                  <Text fw={600} component={Link} to={consolePath('case', { id: c.id })} td="underline">
                    {t(`enums.reportCategory.${c.category}`)} · {c.reference} ·{' '}
                    {t('cases.received', { date: day(c.receivedOn) })}
                  </Text>
                  <Group gap={4}>
                    <AttentionBadge attention={c.attention} />
                    <Badge variant="filled" color="gray.2">
                      {t(`enums.caseStatus.${c.status}`)}
                    </Badge>
                  </Group>
                </Group>
                {c.excerpt && (
                  <Text size="sm" lineClamp={2} data-testid="case-excerpt">
                    {c.excerpt}
                  </Text>
                )}
                <Text size="sm" c="dimmed">
                  {t('cases.age', { count: ageInDays(c.receivedOn) })}
                </Text>
                <Deadlines c={c} />
              </Paper>
            ))}
          </Stack>
          {more && (
            <Button variant="default" onClick={more}>
              {t('cases.more')}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
