import { Card, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { dateTime } from '../format/time';
import type { SightingFieldsFragment } from '../gql/graphql';

/** One sighting: what was seen where and when, and by whom where the server names them. */
export function SightingLine({ s }: { s: SightingFieldsFragment }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="xs" data-testid="sighting">
      <Text size="sm">
        {t(`enums.sightingKind.${s.kind}`)}:{' '}
        <Text span ff="monospace">
          {s.indicator.value}
        </Text>{' '}
        · {s.port} · {dateTime(s.seenAt, s.port)} · {s.organisation?.name ?? t('bulletin.anotherOrganisation')}
      </Text>
      {s.note && <Text size="sm">{s.note}</Text>}
    </Card>
  );
}
