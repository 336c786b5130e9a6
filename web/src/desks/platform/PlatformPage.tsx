import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { count, dateTime } from '../../format/time';
import {
  ApproveIdentityProviderDocument,
  GenerateRecoveryCodesDocument,
  RecoveryCodesLeftDocument,
  AuditChainStatusDocument,
  FederationDocument,
  IdentityProvidersDocument,
  PlatformAdministratorsDocument,
  PlatformHealthDocument,
  VerifyAuditChainDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { SecretOnce } from '../../components/SecretOnce';
import { useState } from 'react';
import { Register } from '../dataProtection/Register';

const MB = 1024 * 1024;

function Health() {
  const { t } = useTranslation();
  const { data, error, refetch, loading } = useQuery(PlatformHealthDocument, { fetchPolicy: 'network-only' });
  const h = data?.platformHealth;
  const waiting = h?.outbox.reduce((sum, q) => sum + q.waiting, 0) ?? 0;
  return (
    <Card withBorder component="section" aria-label={t('platform.health')}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('platform.health')}
          </Title>
          <Button variant="default" size="xs" loading={loading} onClick={() => void refetch()}>
            {t('platform.refresh')}
          </Button>
        </Group>
        <ErrorNotice error={error} />
        {h && (
          <>
            <Text size="sm" c="dimmed">
              {t('platform.checkedAt', { date: dateTime(h.checkedAt) })}
            </Text>
            <Text>
              {t('platform.database', {
                version: h.database.version,
                latency: h.database.latencyMs,
                size: count(Math.round(h.database.sizeBytes / MB)),
              })}
            </Text>
            <Text data-testid="outbox-depth">
              {t('platform.outbox', { count: waiting })}{' '}
              {h.outbox
                .filter((q) => q.waiting > 0)
                .map((q) => `${q.queue}: ${count(q.waiting)}`)
                .join(' · ')}
            </Text>
            <Group gap="xs">
              <Text>{t('platform.failedDeliveries', { count: h.failedDeliveries })}</Text>
              {h.failedDeliveries > 0 && (
                <Badge variant="filled" color="red.9">
                  {t('platform.attention')}
                </Badge>
              )}
            </Group>
            <Text>{t('platform.instances', { count: h.instances.length })}</Text>
            <DataTable
              rows={h.instances}
              rowKey={(i) => `${i.host}-${i.pid}`}
              label={t('platform.instancesTable')}
              columns={[
                { header: t('platform.host'), cell: (i) => i.host },
                { header: t('platform.pid'), cell: (i) => i.pid },
                { header: t('platform.started'), cell: (i) => dateTime(i.startedAt) },
                { header: t('platform.seen'), cell: (i) => dateTime(i.seenAt) },
              ]}
            />
          </>
        )}
      </Stack>
    </Card>
  );
}

/** Each key sealing data at rest, and how much still waits under a key a rotation replaced. */
function KeyRotation() {
  const { t } = useTranslation();
  const { data } = useQuery(PlatformHealthDocument, { fetchPolicy: 'cache-first' });
  const keys = data?.platformHealth.keys ?? [];
  return (
    <Card withBorder component="section" aria-label={t('platform.keys')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('platform.keys')}
        </Title>
        <Text>{t('platform.keysHelp')}</Text>
        {keys.map((k) => {
          const pending = k.values.reduce((sum, v) => sum + v.pending, 0);
          return (
            <Stack gap={4} key={k.key} data-testid={`key-${k.key}`}>
              <Text fw={600}>
                {k.key}: {t('platform.keyCurrent', { id: k.currentKeyId })}
              </Text>
              <Text>
                {k.previousKeyIds.length
                  ? pending
                    ? t('platform.keyPending', { count: pending, ids: k.previousKeyIds.join(', ') })
                    : t('platform.keyDone', { ids: k.previousKeyIds.join(', ') })
                  : t('platform.keyNoPrevious')}
              </Text>
              <DataTable
                rows={k.values}
                rowKey={(v) => v.kind}
                label={t('platform.keyValues', { key: k.key })}
                columns={[
                  { header: t('platform.keyKind'), cell: (v) => t(`platform.keyKinds.${v.kind}`) },
                  { header: t('platform.keyWaiting'), cell: (v) => count(v.pending) },
                  { header: t('platform.keyTotal'), cell: (v) => count(v.total) },
                ]}
              />
            </Stack>
          );
        })}
      </Stack>
    </Card>
  );
}

/** This instance as peers know it, and each peer's link: direction, marking, lag, failures, quarantine. */
function Federation() {
  const { t } = useTranslation();
  const { data, error } = useQuery(FederationDocument, { fetchPolicy: 'network-only' });
  const peers = data?.peers ?? [];
  return (
    <Card withBorder component="section" aria-label={t('platform.federation')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('platform.federation')}
        </Title>
        <Text>{t('platform.federationHelp')}</Text>
        <ErrorNotice error={error} />
        {data && (
          <Text data-testid="instance-fingerprint">
            {t('platform.instance', {
              name: data.federationInstance.name,
              id: data.federationInstance.id,
              fingerprint: data.federationInstance.fingerprint,
            })}
          </Text>
        )}
        {data && !peers.length && <Text c="dimmed">{t('platform.noPeers')}</Text>}
        {peers.length > 0 && (
          <DataTable
            rows={peers}
            rowKey={(p) => p.id}
            label={t('platform.peers')}
            columns={[
              { header: t('platform.peer'), cell: (p) => p.name },
              {
                header: t('platform.direction'),
                cell: (p) =>
                  [p.sends && t('platform.sends'), p.receives && t('platform.receives')].filter(Boolean).join(', '),
              },
              { header: t('platform.maxTlp'), cell: (p) => p.maxTlp },
              {
                header: t('platform.link'),
                cell: (p) =>
                  p.cutOff ? (
                    <Badge variant="filled" color="gray.8">
                      {t('platform.cutOff')}
                    </Badge>
                  ) : p.health?.stalled ? (
                    <Badge variant="filled" color="red.9">
                      {t('platform.stalled')}
                    </Badge>
                  ) : (
                    (p.health?.lastError ?? (p.health ? t('platform.linkOk') : t('platform.notAsked')))
                  ),
              },
              {
                header: t('platform.lag'),
                cell: (p) =>
                  p.health ? t('platform.lagValue', { count: p.health.lagEvents, seconds: p.health.lagSeconds }) : '',
              },
              {
                header: t('platform.lastSuccess'),
                cell: (p) => (p.health?.lastSuccessAt ? dateTime(p.health.lastSuccessAt) : ''),
              },
              { header: t('platform.refused'), cell: (p) => (p.health ? count(p.health.refused) : '') },
            ]}
          />
        )}
      </Stack>
    </Card>
  );
}

function AuditChain() {
  const { t } = useTranslation();
  const { data, error } = useQuery(AuditChainStatusDocument, { fetchPolicy: 'network-only' });
  const [verify, verifying] = useMutation(VerifyAuditChainDocument, {
    refetchQueries: [AuditChainStatusDocument],
    awaitRefetchQueries: true,
  });
  const last = data?.auditChainStatus;
  return (
    <Card withBorder component="section" aria-label={t('platform.chain')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('platform.chain')}
        </Title>
        <Text>{t('platform.chainHelp')}</Text>
        <ErrorNotice error={error ?? verifying.error} />
        <div role="status" data-testid="chain-status">
          {data &&
            (last ? (
              <Group gap="xs">
                <Badge variant="filled" color={last.ok ? 'teal.9' : 'red.9'}>
                  {last.ok ? t('platform.chainOk') : t('platform.chainBroken')}
                </Badge>
                <Text>
                  {last.ok
                    ? t('platform.chainOkText', {
                        events: count(last.events),
                        chains: count(last.chains ?? 1),
                        checkpoints: count(last.checkpoints ?? 0),
                        date: dateTime(last.verifiedAt),
                        ms: count(last.milliseconds),
                      })
                    : last.failedSeq
                      ? t('platform.chainBrokenText', {
                          seq: last.failedSeq,
                          reason: last.reason,
                          date: dateTime(last.verifiedAt),
                        })
                      : t('platform.chainCheckpointBrokenText', {
                          checkpoint: last.failedCheckpoint,
                          reason: last.reason,
                          date: dateTime(last.verifiedAt),
                        })}
                </Text>
                {last.lastPrunedAt && (
                  <Text>
                    {t('platform.chainPruned', {
                      count: last.prunedEvents ?? 0,
                      date: dateTime(last.lastPrunedAt),
                    })}
                  </Text>
                )}
              </Group>
            ) : (
              <Text>{t('platform.chainNever')}</Text>
            ))}
        </div>
        <Group>
          <Button loading={verifying.loading} onClick={() => void verify().catch(() => undefined)}>
            {t('platform.verify')}
          </Button>
          <Button component={Link} to={CONSOLE_ROUTES.audit} variant="default">
            {t('platform.trail')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Administrators() {
  const { t } = useTranslation();
  const { data, error } = useQuery(PlatformAdministratorsDocument, { fetchPolicy: 'network-only' });
  return (
    <Card withBorder component="section" aria-label={t('platform.administrators')}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('platform.administrators')}
        </Title>
        <ErrorNotice error={error} />
        {data && (
          <DataTable
            rows={data.platformAdministrators}
            rowKey={(a) => a.id}
            label={t('platform.administrators')}
            columns={[
              { header: t('members.name'), cell: (a) => a.displayName },
              { header: t('members.email'), cell: (a) => a.email },
              {
                header: t('platform.totp'),
                cell: (a) => (
                  <Badge variant="filled" color={a.totpEnabled || a.hasPasskey ? 'teal.9' : 'red.9'}>
                    {a.hasPasskey
                      ? t('platform.passkeyOn')
                      : a.totpEnabled
                        ? t('platform.totpOn')
                        : t('platform.totpOff')}
                  </Badge>
                ),
              },
            ]}
          />
        )}
      </Stack>
    </Card>
  );
}

/** The platform administrators' desk: health, the audit chain, who administers the platform. */
/** One-time codes that stand in, once each, for a second factor the administrator lost. */
function RecoveryCodes() {
  const { t } = useTranslation();
  const left = useQuery(RecoveryCodesLeftDocument, { fetchPolicy: 'network-only' });
  const [generate, generating] = useMutation(GenerateRecoveryCodesDocument, {
    refetchQueries: [RecoveryCodesLeftDocument],
  });
  const [codes, setCodes] = useState<string | null>(null);
  return (
    <Section title={t('platform.recoveryCodes')}>
      <Stack gap="xs">
        {left.data?.recoveryCodesLeft === 0 && (
          <Alert color="yellow" role="alert">
            {t('platform.noRecoveryCodes')}
          </Alert>
        )}
        <Text size="sm">{t('platform.recoveryCodesHelp')}</Text>
        {!!left.data?.recoveryCodesLeft && (
          <Text size="sm">{t('platform.recoveryCodesLeft', { count: left.data.recoveryCodesLeft })}</Text>
        )}
        <ErrorNotice error={generating.error} />
        <Group>
          <Button
            variant="default"
            loading={generating.loading}
            onClick={() =>
              void generate()
                .then((r) => setCodes(r.data?.generateRecoveryCodes.join('\n') ?? null))
                .catch(() => undefined)
            }
          >
            {t('platform.generateRecoveryCodes')}
          </Button>
        </Group>
        <SecretOnce
          secret={codes}
          title={t('platform.recoveryCodes')}
          explanation={t('platform.recoveryCodesOnce')}
          onClose={() => setCodes(null)}
        />
      </Stack>
    </Section>
  );
}

/** Organisations' identity providers: each decides who enters its organisation, so a platform admin approves it first. */
function IdentityProviders() {
  const { t } = useTranslation();
  const { data, error } = useQuery(IdentityProvidersDocument, { fetchPolicy: 'cache-and-network' });
  const [approve] = useMutation(ApproveIdentityProviderDocument, { refetchQueries: [IdentityProvidersDocument] });
  return (
    <Section title={t('platform.providers')}>
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t('platform.providersHelp')}
        </Text>
        <ErrorNotice error={error} />
        {data && (
          <DataTable
            rows={data.identityProviders}
            rowKey={(p) => p.id}
            testId="identity-providers"
            minWidth={760}
            empty={t('platform.noProviders')}
            columns={[
              { header: t('platform.organisation'), cell: (p) => p.organisation.name },
              {
                header: t('identity.issuer'),
                cell: (p) => (
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {p.issuer}
                  </Text>
                ),
              },
              { header: t('identity.domains'), cell: (p) => p.domains.join(', ') },
              { header: t('identity.joinDomains'), cell: (p) => p.joinDomains.join(', ') || '—' },
              {
                header: t('identity.status'),
                cell: (p) =>
                  p.approvedAt ? (
                    <Badge variant="filled" color="teal.9">
                      {t('identity.approvedOn', { date: dateTime(p.approvedAt) })}
                    </Badge>
                  ) : (
                    <Badge variant="filled" color="yellow.2">
                      {t('identity.awaiting')}
                    </Badge>
                  ),
              },
            ]}
            actions={[
              {
                label: t('platform.approve'),
                when: (p) => !p.approvedAt,
                effect: (p) =>
                  t('platform.approveEffect', { organisation: p.organisation.name, domains: p.domains.join(', ') }),
                run: (p) => approve({ variables: { id: p.id } }),
              },
            ]}
          />
        )}
      </Stack>
    </Section>
  );
}

export default function PlatformPage() {
  const { t } = useTranslation();
  const me = useQuery(ViewerDocument).data?.me;
  if (!me) return <Loading />;
  if (!me.isPlatformAdmin)
    return (
      <Alert color="red" role="alert" title={t('platform.title')}>
        {t('organisations.platformOnly')}
      </Alert>
    );
  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        {t('platform.title')}
      </Title>
      <Health />
      <IdentityProviders />
      <AuditChain />
      <KeyRotation />
      <Federation />
      <Register choose />
      <Administrators />
      <RecoveryCodes />
    </Stack>
  );
}
