import { useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Badge, Button, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Tlp } from '../../components/Tlp';
import { dateTime } from '../../format/time';
import {
  CorrelationNoticesDocument,
  MarkCorrelationNoticesSeenDocument,
  SetCorrelationMailDocument,
} from '../../gql/graphql';

/**
 * "Related to your bulletins": later bulletins, and sightings on them, that share values with bulletins
 * the person wrote (only while they may read both), and whether they also come by e-mail.
 */
export function CorrelationNotices() {
  const { t } = useTranslation();
  const { data, error } = useQuery(CorrelationNoticesDocument);
  const [markSeen, marking] = useMutation(MarkCorrelationNoticesSeenDocument, {
    refetchQueries: [CorrelationNoticesDocument],
  });
  const [setMail, mailing] = useMutation(SetCorrelationMailDocument, { refetchQueries: [CorrelationNoticesDocument] });
  const notices = data?.correlationNotices ?? [];
  const unseen = notices.filter((n) => !n.seen).length;
  return (
    <Stack gap="xs" data-testid="correlation-notices">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('related.noticesTitle')}{' '}
          {unseen > 0 && (
            <Badge color="blue.8" variant="filled" aria-label={t('related.unseen', { count: unseen })}>
              {unseen}
            </Badge>
          )}
        </Title>
        {unseen > 0 && (
          <Button
            size="xs"
            variant="default"
            loading={marking.loading}
            onClick={() => void markSeen().catch(() => undefined)}
          >
            {t('related.markSeen')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('related.noticesHelp')}
      </Text>
      <ErrorNotice error={error ?? marking.error ?? mailing.error} />
      {data && (
        <Switch
          checked={data.correlationMail}
          disabled={mailing.loading}
          label={t('related.mail')}
          description={t('related.mailHelp')}
          onChange={(e) => void setMail({ variables: { enabled: e.currentTarget.checked } }).catch(() => undefined)}
        />
      )}
      {data && notices.length === 0 && <Text c="dimmed">{t('related.noNotices')}</Text>}
      {notices.map((n) => (
        <Card key={n.id} withBorder padding="xs">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Tlp level={n.related.tlp} />
            {!n.seen && (
              <Badge color="blue.8" variant="filled">
                {t('related.new')}
              </Badge>
            )}
            <Stack gap={2}>
              <Text size="sm">
                {t(n.kind === 'SIGHTING' ? 'related.sighted' : 'related.later', {
                  organisation: n.related.authorOrganisation.name,
                })}{' '}
                <Anchor component={Link} to={consolePath('bulletin', { id: n.related.id })}>
                  {n.related.title}
                </Anchor>
              </Text>
              <Text size="xs" c="dimmed">
                {t('related.yours')}{' '}
                <Anchor component={Link} to={consolePath('bulletin', { id: n.bulletin.id })} size="xs">
                  {n.bulletin.title}
                </Anchor>{' '}
                · {dateTime(n.createdAt)}
              </Text>
              <Text size="xs" ff="monospace">
                {n.shared.map((s) => `${t(`enums.indicatorType.${s.type}`)}: ${s.value}`).join(' · ')}
              </Text>
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
