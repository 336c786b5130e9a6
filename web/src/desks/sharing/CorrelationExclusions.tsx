import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Card, Checkbox, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { INDICATOR_TYPES, options } from '../../format/enums';
import {
  AddCorrelationExclusionDocument,
  CorrelationExclusionsDocument,
  type IndicatorType,
  RemoveCorrelationExclusionDocument,
} from '../../gql/graphql';

/**
 * Values left out of correlation: the organisation's (its admins add and remove them) and the
 * platform's (platform administrators). A value that correlates with everything makes "Related" noise.
 */
export function CorrelationExclusions({ admin, platform }: { admin: boolean; platform: boolean }) {
  const { t } = useTranslation();
  const { data, error } = useQuery(CorrelationExclusionsDocument);
  const refetch = { refetchQueries: [CorrelationExclusionsDocument] };
  const [add, adding] = useMutation(AddCorrelationExclusionDocument, refetch);
  const [remove] = useMutation(RemoveCorrelationExclusionDocument, refetch);
  const [type, setType] = useState<IndicatorType>('IP_ADDRESS');
  const [value, setValue] = useState('');
  const [prefix, setPrefix] = useState(false);
  const [note, setNote] = useState('');
  const mayRemove = (owner: string | null | undefined) => (owner ? admin : platform);
  return (
    <Stack gap="xs" component="section" aria-labelledby="exclusions-title" data-testid="correlation-exclusions">
      <Title order={2} size="h3" id="exclusions-title">
        {t('exclusions.title')}
      </Title>
      <Text size="sm">{t(platform ? 'exclusions.helpPlatform' : 'exclusions.help')}</Text>
      {(admin || platform) && (
        <Card withBorder>
          <Stack gap="xs">
            <Group align="flex-end" wrap="wrap">
              <Select
                label={t('exclusions.type')}
                w={200}
                data={options(t, 'indicatorType', INDICATOR_TYPES)}
                value={type}
                allowDeselect={false}
                onChange={(v) => v && setType(v as IndicatorType)}
              />
              <TextInput
                label={t('exclusions.value')}
                ff="monospace"
                style={{ flex: 1, minWidth: 200 }}
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
              />
            </Group>
            <Checkbox
              label={t('exclusions.prefix')}
              checked={prefix}
              onChange={(e) => setPrefix(e.currentTarget.checked)}
            />
            <TextInput
              label={t('exclusions.note')}
              value={note}
              maxLength={500}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <ErrorNotice error={adding.error} />
            <Button
              w="fit-content"
              disabled={!value.trim()}
              loading={adding.loading}
              onClick={() =>
                void add({ variables: { input: { type, value, prefix, note, platform } } })
                  .then(() => {
                    setValue('');
                    setNote('');
                  })
                  .catch(() => undefined)
              }
            >
              {t(platform ? 'exclusions.addPlatform' : 'exclusions.add')}
            </Button>
          </Stack>
        </Card>
      )}
      <ErrorNotice error={error} />
      {data?.correlationExclusions.length === 0 && <Text c="dimmed">{t('exclusions.none')}</Text>}
      {data?.correlationExclusions.map((x) => (
        <Card key={x.id} withBorder padding="xs">
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={2}>
              <Group gap="xs">
                <Text size="sm" ff="monospace">
                  {`${t(`enums.indicatorType.${x.type}`)}: ${x.value}${x.prefix ? '…' : ''}`}
                </Text>
                {!x.organisationId && (
                  <Badge variant="filled" color="blue.8">
                    {t('exclusions.platformWide')}
                  </Badge>
                )}
              </Group>
              {x.note && (
                <Text size="xs" c="dimmed">
                  {x.note}
                </Text>
              )}
            </Stack>
            {mayRemove(x.organisationId) && (
              <ConfirmButton
                label={t('exclusions.remove')}
                title={t('exclusions.removeTitle')}
                effect={t('exclusions.removeEffect')}
                confirm={t('exclusions.remove')}
                onConfirm={() => remove({ variables: { id: x.id } })}
              />
            )}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
