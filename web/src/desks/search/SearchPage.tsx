import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { BulletinBadges } from '../../components/BulletinBadges';
import { SightingLine } from '../../components/SightingLine';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { dateTime } from '../../format/time';
import { SearchIndicatorsDocument } from '../../gql/graphql';

/** Paste a container, IMO, seal or plate number as printed: the server compares letters and digits only. */
export default function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const value = params.get('value') ?? '';
  const { data, loading, error } = useQuery(SearchIndicatorsDocument, {
    variables: { value },
    skip: value.trim().length < 2,
  });
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('search.title')}
      </Title>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const input = new FormData(e.currentTarget).get('value');
          setParams(typeof input === 'string' && input.trim() ? { value: input.trim() } : {});
        }}
      >
        <Group align="flex-end">
          <TextInput
            name="value"
            label={t('search.label')}
            description={t('search.help')}
            defaultValue={value}
            style={{ flex: 1 }}
            ff="monospace"
          />
          <Button type="submit">{t('search.submit')}</Button>
        </Group>
      </form>
      <ErrorNotice error={error} />
      {loading && <Loading />}
      {data && <Text aria-live="polite">{t('search.results', { count: data.searchIndicators.length, value })}</Text>}
      {data?.searchIndicators.map(({ bulletin: b, indicator, sightings }) => (
        <Card withBorder key={`${b.id}:${indicator.type}:${indicator.value}`} padding="sm">
          <Stack gap={4}>
            <BulletinBadges b={b} />
            <Anchor component={Link} to={consolePath('bulletin', { id: b.id })}>
              {b.title}
            </Anchor>
            <Text size="sm">
              {t(`enums.indicatorType.${indicator.type}`)}:{' '}
              <Text span ff="monospace">
                {indicator.value}
              </Text>
            </Text>
            <Text size="xs" c="dimmed">
              {b.authorOrganisation.name}
              {b.publishedAt ? ` · ${dateTime(b.publishedAt, b.ports[0])}` : ''}
            </Text>
            {sightings.map((s) => (
              <SightingLine key={s.id} s={s} />
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
