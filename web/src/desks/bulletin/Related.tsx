import { useQuery } from '@apollo/client/react';
import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { Tlp } from '../../components/Tlp';
import { dateTime } from '../../format/time';
import { BulletinRelatedDocument, type BulletinRelatedQuery } from '../../gql/graphql';

type Related = BulletinRelatedQuery['bulletin']['related'][number];

/** Nodes drawn around the bulletin, at most: the table below lists every related bulletin. */
const GRAPH_NODES = 12;
const TLP_COLOURS: Record<string, string> = {
  RED: '#ff2b2b',
  AMBER: '#ffc000',
  AMBER_STRICT: '#ffc000',
  GREEN: '#33ff00',
  CLEAR: '#ffffff',
};
/** The first words of a title, at most 18 characters: part of the link's name, as a visible label must be. */
function short(title: string): string {
  let label = '';
  for (const word of title.split(/\s+/)) {
    const next = label ? `${label} ${word}` : word;
    if (next.length > 18) break;
    label = next;
  }
  return label || title.slice(0, 18);
}

/**
 * The bulletin among the bulletins it relates to: one node each, around it, a thicker line for more
 * shared values. The table under it says the same in words (the graph is a picture of it); each node is
 * a link, reached by Tab like any other.
 */
function RelatedGraph({ title, related }: { title: string; related: Related[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const shown = related.slice(0, GRAPH_NODES);
  const [w, h, r] = [640, 320, 110];
  const at = (i: number) => {
    const angle = (2 * Math.PI * i) / shown.length - Math.PI / 2;
    return { x: w / 2 + r * 1.9 * Math.cos(angle), y: h / 2 + r * Math.sin(angle) };
  };
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      role="group"
      aria-label={t('related.graph', { count: related.length })}
      style={{ width: '100%', maxWidth: w, height: 'auto' }}
      data-testid="related-graph"
    >
      {shown.map((x, i) => (
        <line
          key={`edge-${x.bulletin.id}`}
          x1={w / 2}
          y1={h / 2}
          x2={at(i).x}
          y2={at(i).y}
          stroke="#868e96"
          strokeWidth={Math.min(1 + x.shared.length, 6)}
        />
      ))}
      <circle cx={w / 2} cy={h / 2} r={22} fill="#1c7ed6" />
      <text x={w / 2} y={h / 2 + 42} textAnchor="middle" fontSize="13" fontWeight="700" fill="currentColor">
        {short(title)}
      </text>
      {shown.map((x, i) => {
        const { x: cx, y: cy } = at(i);
        const path = consolePath('bulletin', { id: x.bulletin.id });
        return (
          <a
            key={x.bulletin.id}
            href={path}
            aria-label={t('related.node', { title: x.bulletin.title, count: x.shared.length })}
            onClick={(e) => {
              e.preventDefault();
              void navigate(path);
            }}
          >
            <circle cx={cx} cy={cy} r={14} fill="#000" stroke={TLP_COLOURS[x.bulletin.tlp]} strokeWidth={4} />
            {/* The title's first words; the link's name is the whole title with its count of shared values. */}
            <text x={cx} y={cy < h / 2 ? cy - 22 : cy + 30} textAnchor="middle" fontSize="12" fill="currentColor">
              {short(x.bulletin.title)}
            </text>
          </a>
        );
      })}
    </svg>
  );
}

/** "Related": the other bulletins the reader may read that share values with this one (the server decides). */
export function RelatedBulletins({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, error } = useQuery(BulletinRelatedDocument, { variables: { id } });
  return (
    <Stack gap="xs" data-testid="related">
      <Title order={2} size="h3">
        {t('related.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('related.help')}
      </Text>
      <ErrorNotice error={error} />
      {!data && !error && <Loading />}
      {data && data.bulletin.related.length > 0 && (
        <RelatedGraph title={data.bulletin.title} related={data.bulletin.related} />
      )}
      {data && (
        <DataTable
          rows={data.bulletin.related}
          rowKey={(x) => x.bulletin.id}
          minWidth={480}
          empty={t('related.none')}
          testId="related-table"
          columns={[
            {
              header: t('related.bulletin'),
              cell: (x) => (
                <Group gap="xs" wrap="nowrap">
                  <Tlp level={x.bulletin.tlp} />
                  <Anchor component={Link} to={consolePath('bulletin', { id: x.bulletin.id })} size="sm">
                    {x.bulletin.title}
                  </Anchor>
                </Group>
              ),
            },
            {
              header: t('related.author'),
              cell: (x) =>
                `${x.bulletin.authorOrganisation.name}${x.bulletin.publishedAt ? ` · ${dateTime(x.bulletin.publishedAt)}` : ''}`,
            },
            {
              header: t('related.shared'),
              cell: (x) => (
                <Text size="sm" ff="monospace">
                  {x.shared.map((s) => `${t(`enums.indicatorType.${s.type}`)}: ${s.value}`).join(' · ')}
                </Text>
              ),
            },
          ]}
        />
      )}
    </Stack>
  );
}
