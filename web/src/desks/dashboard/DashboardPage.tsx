import { useQuery } from '@apollo/client/react';
import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Anchor, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Section } from '../../components/Section';
import { Loading } from '../../components/Loading';
import { CATEGORIES } from '../../format/enums';
import { count, dateTime, day } from '../../format/time';
import { DashboardDocument } from '../../gql/graphql';
import { PortMap } from './PortMap';

const PALETTE = [
  'blue.7',
  'red.7',
  'grape.7',
  'teal.7',
  'orange.7',
  'indigo.7',
  'lime.8',
  'pink.7',
  'cyan.8',
  'gray.7',
];

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/**
 * What the alliance shared with the caller lately, each figure from the one `dashboard` query (counted
 * under the caller's ability on the server); every chart has its numbers in a table beside it.
 */
export default function DashboardPage() {
  const { t } = useTranslation();
  const [weeks, setWeeks] = useState('12');
  const { data, error, loading } = useQuery(DashboardDocument, {
    variables: { weeks: Number(weeks) },
    fetchPolicy: 'cache-and-network',
  });
  const d = data?.dashboard;
  const used = CATEGORIES.filter((c) => d?.weeks.some((w) => w.byCategory.some((b) => b.category === c)));
  // One row a week: its start, each category's count (the chart's series), the total.
  const rows = (d?.weeks ?? []).map((w): Record<string, string | number> & { week: string; total: number } => ({
    ...Object.fromEntries(used.map((c) => [c, w.byCategory.find((b) => b.category === c)?.count ?? 0])),
    week: day(w.weekStart),
    total: w.byCategory.reduce((n, b) => n + b.count, 0),
  }));
  const acks = d?.acknowledgements;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('dashboard.title')}
        </Title>
        <Select
          label={t('dashboard.period')}
          data={['4', '12', '26', '52'].map((n) => ({ value: n, label: t('dashboard.weeks', { count: Number(n) }) }))}
          value={weeks}
          onChange={(v) => v && setWeeks(v)}
          allowDeselect={false}
          w={180}
        />
      </Group>
      <ErrorNotice error={error} />
      {!d && loading && <Loading />}
      {d && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Figure label={t('dashboard.openResponses')} value={count(d.openResponses)} testId="open-responses" />
            <Figure
              label={t('dashboard.overdueResponses')}
              value={count(d.overdueResponses)}
              testId="overdue-responses"
            />
            <Figure
              label={t('dashboard.acknowledged')}
              testId="acknowledgements"
              value={
                acks && acks.recipients
                  ? t('dashboard.acknowledgedOf', {
                      acknowledged: count(acks.acknowledged),
                      recipients: count(acks.recipients),
                      percent: Math.round((100 * acks.acknowledged) / acks.recipients),
                    })
                  : t('dashboard.noneNamed')
              }
            />
          </SimpleGrid>

          <Section title={t('dashboard.perWeek')}>
            <BarChart
              h={240}
              data={rows}
              dataKey="week"
              type="stacked"
              series={used.map((c, i) => ({
                name: c,
                label: t(`enums.category.${c}`),
                color: PALETTE[i % PALETTE.length],
              }))}
              withLegend
              // The table below says it all to screen readers and keyboards: the chart is for the eye.
              aria-hidden
              barChartProps={{ accessibilityLayer: false }}
            />
            <DataTable
              label={t('dashboard.perWeek')}
              testId="per-week-table"
              rows={rows}
              rowKey={(r) => r.week}
              minWidth={600}
              columns={[
                { header: t('dashboard.week'), cell: (r) => r.week },
                ...used.map((c) => ({
                  header: t(`enums.category.${c}`),
                  cell: (r: (typeof rows)[number]) => count(Number(r[c])),
                })),
                { header: t('dashboard.total'), cell: (r) => count(r.total) },
              ]}
            />
          </Section>

          <Section title={t('dashboard.perPort')}>
            <SimpleGrid cols={{ base: 1, md: 2 }} style={{ alignItems: 'start' }}>
              <PortMap ports={d.ports} />
              <DataTable
                label={t('dashboard.perPort')}
                testId="per-port-table"
                rows={d.ports}
                rowKey={(p) => p.port}
                empty={t('dashboard.noPorts')}
                columns={[
                  { header: t('dashboard.port'), cell: (p) => p.port },
                  { header: t('dashboard.bulletins'), cell: (p) => count(p.bulletins) },
                  { header: t('dashboard.sightings'), cell: (p) => count(p.sightings) },
                ]}
              />
            </SimpleGrid>
          </Section>

          <Section title={t('dashboard.recentSightings')}>
            <DataTable
              label={t('dashboard.recentSightings')}
              rows={d.recentSightings}
              rowKey={(s) => `${s.bulletin.id}:${s.seenAt}:${s.port}`}
              empty={t('dashboard.noSightings')}
              columns={[
                { header: t('dashboard.seenAt'), cell: (s) => dateTime(s.seenAt, s.port) },
                { header: t('dashboard.port'), cell: (s) => s.port },
                { header: t('dashboard.indicator'), cell: (s) => t(`enums.indicatorType.${s.indicatorType}`) },
                {
                  header: t('dashboard.bulletin'),
                  cell: (s) => (
                    <Anchor component={Link} to={consolePath('bulletin', { id: s.bulletin.id })}>
                      {s.bulletin.title}
                    </Anchor>
                  ),
                },
              ]}
            />
          </Section>
        </>
      )}
    </Stack>
  );
}
