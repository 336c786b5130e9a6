import { useQuery } from '@apollo/client/react';
import { Alert, Anchor, Badge, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Section } from '../../components/Section';
import { Loading } from '../../components/Loading';
import { count, dateTime } from '../../format/time';
import { OrganisationOverviewDocument } from '../../gql/graphql';

/** Machine clients whose key ends within this many days are named. */
const EXPIRY_DAYS = 30;

/** A part of the overview, and the desk where it is dealt with. */
function LinkedSection({
  title,
  link,
  linkLabel,
  children,
}: {
  title: string;
  link: string;
  linkLabel: string;
  children: ReactNode;
}) {
  return (
    <Section title={title}>
      {children}
      <Anchor component={Link} to={link} size="sm" mt="xs" display="block">
        {linkLabel}
      </Anchor>
    </Section>
  );
}

/**
 * An organisation admin's morning look: who has not signed in or has no second factor, invitations
 * still open, alerts that never reached a member, webhooks failing or off, keys about to expire. Each
 * part links to the desk where it is dealt with.
 */
export default function OverviewPage() {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(OrganisationOverviewDocument, { fetchPolicy: 'cache-and-network' });
  if (!data) return <>{loading ? <Loading /> : <ErrorNotice error={error} />}</>;
  const members = data.members.edges.map((e) => e.node);
  const withoutSecondFactor = members.filter((m) => m.secondFactor === false);
  const pending = data.invitations.filter((i) => i.status === 'PENDING');
  const failures = data.notificationFailures.edges.length;
  const soon = Date.now() + EXPIRY_DAYS * 86_400_000;
  const expiring = data.machineClients.filter((c) => !c.revokedAt && new Date(c.expiresAt).getTime() < soon);
  const webhookState = (w: (typeof data.webhooks)[number]) =>
    w.disabledAt ? (
      <Badge color="dark">{t('overview.webhookDisabled', { date: dateTime(w.disabledAt) })}</Badge>
    ) : w.failingSince ? (
      <Badge color="red.9">{t('overview.webhookFailing', { date: dateTime(w.failingSince) })}</Badge>
    ) : (
      <Badge color="teal.9">{t('overview.webhookHealthy')}</Badge>
    );

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('overview.title')}
      </Title>
      <ErrorNotice error={error} />
      {withoutSecondFactor.length > 0 && (
        <Alert color="red" title={t('overview.noSecondFactor', { count: withoutSecondFactor.length })}>
          {withoutSecondFactor.map((m) => m.displayName).join(', ')}
        </Alert>
      )}
      <LinkedSection title={t('overview.members')} link={CONSOLE_ROUTES.members} linkLabel={t('overview.toMembers')}>
        <DataTable
          testId="overview-members"
          rows={members}
          rowKey={(m) => m.userId}
          minWidth={640}
          columns={[
            { header: t('overview.name'), cell: (m) => m.displayName },
            { header: t('overview.email'), cell: (m) => m.email },
            { header: t('overview.role'), cell: (m) => t(`enums.role.${m.role}`) },
            {
              header: t('overview.lastSignIn'),
              cell: (m) => (m.lastSignInAt ? dateTime(m.lastSignInAt) : t('overview.never')),
            },
            {
              header: t('overview.secondFactor'),
              cell: (m) =>
                m.secondFactor ? (
                  t('overview.yes')
                ) : (
                  <Text c="red.9" size="sm" fw={600}>
                    {t('overview.no')}
                  </Text>
                ),
            },
          ]}
        />
        {data.members.pageInfo.hasNextPage && <Text size="sm">{t('overview.moreMembers')}</Text>}
      </LinkedSection>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <LinkedSection
          title={t('overview.invitations')}
          link={CONSOLE_ROUTES.members}
          linkLabel={t('overview.toMembers')}
        >
          <DataTable
            testId="overview-invitations"
            rows={pending}
            rowKey={(i) => i.id}
            empty={t('overview.noInvitations')}
            columns={[
              { header: t('overview.email'), cell: (i) => i.email },
              { header: t('overview.role'), cell: (i) => t(`enums.role.${i.role}`) },
              { header: t('overview.expires'), cell: (i) => dateTime(i.expiresAt) },
            ]}
          />
        </LinkedSection>
        <LinkedSection
          title={t('overview.failures')}
          link={CONSOLE_ROUTES.members}
          linkLabel={t('overview.toFailures')}
        >
          <Text data-testid="overview-failures">
            {failures
              ? t('overview.failedCount', {
                  count: failures,
                  n: `${count(failures)}${data.notificationFailures.pageInfo.hasNextPage ? '+' : ''}`,
                })
              : t('overview.noFailures')}
          </Text>
        </LinkedSection>
        <LinkedSection
          title={t('overview.webhooks')}
          link={CONSOLE_ROUTES.webhooks}
          linkLabel={t('overview.toWebhooks')}
        >
          <DataTable
            testId="overview-webhooks"
            rows={data.webhooks}
            rowKey={(w) => w.id}
            empty={t('overview.noWebhooks')}
            columns={[
              { header: t('overview.name'), cell: (w) => w.name },
              { header: t('overview.state'), cell: webhookState },
            ]}
          />
        </LinkedSection>
        <LinkedSection
          title={t('overview.expiring', { days: EXPIRY_DAYS })}
          link={CONSOLE_ROUTES.machineClients}
          linkLabel={t('overview.toMachineClients')}
        >
          <DataTable
            testId="overview-machine-clients"
            rows={expiring}
            rowKey={(c) => c.id}
            empty={t('overview.noneExpiring')}
            columns={[
              { header: t('overview.name'), cell: (c) => c.name },
              { header: t('overview.expires'), cell: (c) => dateTime(c.expiresAt) },
            ]}
          />
        </LinkedSection>
      </SimpleGrid>
    </Stack>
  );
}
