import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Anchor, Button, Card, CopyButton, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { BulletinBadges } from '../../components/BulletinBadges';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { saveFile } from '../../format/files';
import { dateTime } from '../../format/time';
import {
  AcknowledgeDocument,
  BulletinPageDocument,
  RetractDocument,
  SharingRulesForExplanationDocument,
  type SharingRulesForExplanationQuery,
  ViewerDocument,
  WhoCanSeeDocument,
} from '../../gql/graphql';
import { freshToken } from '../../session/session';
import { Reach, Responses, Sightings } from './ActionPanels';
import { VersionDiff } from './VersionDiff';
import { RelatedBulletins } from './Related';
import { DataTable } from '../../components/DataTable';
import { useConnection } from '../../session/useConnection';

/** The STIX 2.1 bundle, fetched with the in-memory token and saved as a file (no token in a link). */
async function downloadStix(id: string): Promise<void> {
  const token = await freshToken();
  const response = await fetch(`/stix/bulletins/${id}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(response.statusText);
  saveFile(await response.blob(), `bulletin-${id}.stix.json`);
}

type Rule = SharingRulesForExplanationQuery['sharingRules']['edges'][number]['node'];

/** A sharing rule in words: whom it admits and up to which marking. */
function ruleInWords(rule: Rule, t: (key: string, options?: Record<string, unknown>) => string): string {
  const { organisationTypes, ports, organisationIds } = rule.audience;
  const who = [
    ...organisationTypes.map((type) => t(`enums.organisationType.${type}`)),
    ...(organisationIds.length ? [t('bulletin.ruleOrganisations', { count: organisationIds.length })] : []),
  ];
  return t(rule.organisationId ? 'bulletin.ruleOwn' : 'bulletin.ruleAlliance', {
    who: who.length ? who.join(', ') : t('bulletin.ruleEveryone'),
    ports: ports.length ? ports.join(', ') : t('bulletin.ruleAnyPort'),
    tlp: t(`enums.tlp.${rule.maxTlp}`),
  });
}

function WhoCanSee({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, error } = useQuery(WhoCanSeeDocument, { variables: { id } });
  const { nodes } = useConnection(useQuery(SharingRulesForExplanationDocument).data?.sharingRules);
  const rules = new Map(nodes.map((r) => [r.id, r]));
  if (error) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  return (
    <DataTable
      rows={data.whoCanSee}
      rowKey={(a) => `${a.organisation?.id ?? a.user?.id}`}
      testId="who-can-see"
      minWidth={320}
      columns={[
        { header: t('bulletin.who'), cell: (a) => a.organisation?.name ?? a.user?.displayName },
        {
          header: t('bulletin.why'),
          cell: (a) =>
            `${t(`enums.accessReason.${a.reason}`)}${a.ruleId && rules.get(a.ruleId) ? `: ${ruleInWords(rules.get(a.ruleId)!, t)}` : ''}`,
        },
      ]}
    />
  );
}

/** Before opening AMBER+STRICT or RED, when the organisation asks it: why (kept in its processing log). */
function Justification({ onGiven }: { onGiven: (why: string) => void }) {
  const { t } = useTranslation();
  const [why, setWhy] = useState('');
  return (
    <Card withBorder component="section" aria-label={t('bulletin.justificationTitle')} maw={640}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onGiven(why.trim());
        }}
      >
        <Stack gap="xs">
          <Title order={1} size="h3">
            {t('bulletin.justificationTitle')}
          </Title>
          <Text size="sm">{t('bulletin.justificationHelp')}</Text>
          <Textarea
            label={t('bulletin.justification')}
            required
            minLength={5}
            maxLength={1000}
            autosize
            minRows={2}
            value={why}
            onChange={(e) => setWhy(e.currentTarget.value)}
          />
          <Group>
            <Button type="submit" disabled={why.trim().length < 5}>
              {t('bulletin.openWithJustification')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export default function BulletinPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [justification, setJustification] = useState<string | null>(null);
  const { data, loading, error } = useQuery(BulletinPageDocument, { variables: { id, justification } });
  const me = useQuery(ViewerDocument).data?.me;
  const [acknowledge, ack] = useMutation(AcknowledgeDocument);
  const [retract, retraction] = useMutation(RetractDocument);
  const [note, setNote] = useState('');
  const [retracting, setRetracting] = useState(false);
  const [reason, setReason] = useState('');
  const [stixError, setStixError] = useState<unknown>(null);
  if (loading && !data) return <Loading />;
  if (CombinedGraphQLErrors.is(error) && error.errors[0]?.extensions?.justificationRequired)
    return <Justification onGiven={setJustification} />;
  if (error || !data) return <ErrorNotice error={error} />;
  const b = data.bulletin;
  const port = b.ports[0];
  const mine = me?.organisation?.id === b.authorOrganisation.id;
  const writer = me?.role === 'ANALYST' || me?.role === 'ORG_ADMIN';
  const acknowledged = b.acknowledgements.some((a) => a.organisation.id === me?.organisation?.id);
  const live = b.status === 'PUBLISHED';
  // This version's time, not the first publication's next to "version 2".
  const published = b.versions.find((v) => v.version === b.version)?.publishedAt ?? b.publishedAt;
  const revised = b.version > 1;
  const history = (
    <>
      <Title order={2} size="h3">
        {t('bulletin.history')}
      </Title>
      <VersionDiff versions={b.versions} />
    </>
  );
  return (
    <Stack component="article" maw={960}>
      <BulletinBadges b={b} />
      <Title order={1} size="h2">
        {b.title}
      </Title>
      <Text size="sm" c="dimmed">
        {b.authorOrganisation.name} · {t(`enums.category.${b.category}`)} ·{' '}
        {t('bulletin.versionN', { version: b.version })}
        {published ? ` · ${dateTime(published, port)}` : ''}
        {b.ports.length ? ` · ${b.ports.join(', ')}` : ''}
      </Text>
      {!mine && b.recipientCount > 0 && (
        <Text size="sm" data-testid="recipients">
          {b.recipientOrganisations.length
            ? t('bulletin.sharedWith', { names: b.recipientOrganisations.map((o) => o.name).join(', ') })
            : b.sharedWithYourOrganisation
              ? b.recipientCount > 1
                ? t('bulletin.sharedWithYou', { count: b.recipientCount - 1 })
                : t('bulletin.sharedWithYouOnly')
              : t('bulletin.sharedWithCount', { count: b.recipientCount })}
        </Text>
      )}
      {b.status === 'RETRACTED' && (
        <Alert color="red" title={t('bulletin.retracted')}>
          {b.retractionReason}
        </Alert>
      )}
      {/* A revised bulletin opens on what changed; a first version keeps its one-line history below. */}
      {revised && history}
      <Group gap="xs">
        {b.status !== 'DRAFT' && (
          <Button variant="default" onClick={() => void downloadStix(b.id).catch(setStixError)}>
            {t('bulletin.stix')}
          </Button>
        )}
        {mine && writer && live && (
          <Button component={Link} to={consolePath('draft', { id: b.id })} variant="default">
            {t('bulletin.revise')}
          </Button>
        )}
        {mine && writer && b.status === 'DRAFT' && (
          <Button component={Link} to={consolePath('draft', { id: b.id })}>
            {t('bulletin.editDraft')}
          </Button>
        )}
        {mine && writer && live && (
          <Button color="red" variant="outline" onClick={() => setRetracting(true)}>
            {t('bulletin.retract')}
          </Button>
        )}
      </Group>
      <ErrorNotice error={stixError} />
      <Text fw={600}>{b.summary}</Text>
      <Text className="prose">{b.body}</Text>
      <Text size="sm">
        {t('bulletin.assessment', {
          urgency: t(`enums.urgency.${b.urgency}`),
          certainty: t(`enums.certainty.${b.certainty}`),
        })}
        {b.validUntil ? ` · ${t('bulletin.validUntil', { date: dateTime(b.validUntil, port) })}` : ''}
      </Text>

      <Title order={2} size="h3">
        {t('bulletin.indicators')}
      </Title>
      <DataTable
        rows={b.indicators}
        rowKey={(i) => `${i.type}:${i.value}`}
        minWidth={300}
        empty={t('bulletin.noIndicators')}
        columns={[
          { cell: (i) => t(`enums.indicatorType.${i.type}`) },
          { cell: (i) => <Text ff="monospace">{i.value}</Text> },
        ]}
        actions={[
          {
            label: t('bulletin.copy'),
            element: (i) => (
              <CopyButton value={i.value}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    variant="default"
                    onClick={copy}
                    aria-label={t('bulletin.copyValue', { value: i.value })}
                  >
                    {copied ? t('bulletin.copied') : t('bulletin.copy')}
                  </Button>
                )}
              </CopyButton>
            ),
          },
        ]}
      />

      <RelatedBulletins id={b.id} />
      <Sightings b={b} />
      <Responses b={b} author={mine} writer={writer} />

      <Title order={2} size="h3">
        {t('bulletin.acknowledgements')}
      </Title>
      {b.acknowledgements.length === 0 && <Text c="dimmed">{t('bulletin.noAcknowledgements')}</Text>}
      {b.acknowledgements.map((a) => (
        <Card key={a.organisation.id} withBorder padding="xs">
          <Text size="sm">
            {t('bulletin.acknowledgedBy', { organisation: a.organisation.name, date: dateTime(a.acknowledgedAt) })}
          </Text>
          {a.note && <Text size="sm">{a.note}</Text>}
        </Card>
      ))}
      {!mine && live && !acknowledged && (
        <Stack gap="xs">
          <Textarea
            label={t('bulletin.ackNote')}
            description={t('bulletin.ackNoteHelp')}
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <ErrorNotice error={ack.error} />
          <Button
            onClick={() =>
              void acknowledge({ variables: { id: b.id, note: note.trim() || null } }).catch(() => undefined)
            }
            loading={ack.loading}
          >
            {t('bulletin.acknowledge')}
          </Button>
        </Stack>
      )}

      {!revised && history}

      {mine && writer && (
        <>
          <Title order={2} size="h3">
            {t('bulletin.whoCanSee')}
          </Title>
          <WhoCanSee id={b.id} />
          {b.status !== 'DRAFT' && <Reach id={b.id} />}
        </>
      )}
      <Anchor component={Link} to="/">
        {t('bulletin.back')}
      </Anchor>

      <Modal opened={retracting} onClose={() => setRetracting(false)} title={t('bulletin.retractTitle')}>
        <Stack>
          <Text size="sm">{t('bulletin.retractEffect')}</Text>
          <Textarea
            label={t('bulletin.retractReason')}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <ErrorNotice error={retraction.error} />
          <Button
            color="red"
            disabled={reason.trim().length < 3}
            loading={retraction.loading}
            onClick={() =>
              void retract({ variables: { id: b.id, reason: reason.trim() } })
                .then(() => setRetracting(false))
                .catch(() => undefined)
            }
          >
            {t('bulletin.retractConfirm')}
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
