import { useQuery } from '@apollo/client/react';
import { Alert, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Section } from '../../components/Section';
import { dateTime } from '../../format/time';
import { DataProtectionRegisterDocument } from '../../gql/graphql';

/**
 * The register of processing, generated from the code: what each table holds about people, and for an
 * organisation the retention in force and when a purge last deleted rows. Platform administrators
 * choose the organisation (`choose`); a data protection officer sees their own.
 */
export function Register({ choose = false }: { choose?: boolean }) {
  const { t } = useTranslation();
  const { organisations } = useOrganisationDirectory();
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const { data, error } = useQuery(DataProtectionRegisterDocument, {
    variables: { organisationId },
    fetchPolicy: 'cache-and-network',
  });
  const register = data?.dataProtectionRegister;
  const personal = register?.tables.filter((r) => r.categories.length > 0) ?? [];
  const unstated = register?.legalBases.filter((b) => !b.basis).map((b) => t(`register.category.${b.category}`));
  return (
    <Section title={t('register.title')}>
      <Stack gap="xs">
        <Text size="sm">{t('register.help')}</Text>
        {choose && (
          <Select
            label={t('register.organisation')}
            placeholder={t('register.platformDefaults')}
            clearable
            searchable
            maw={420}
            data={organisations.map((o) => ({ value: o.id, label: o.name }))}
            value={organisationId}
            onChange={setOrganisationId}
          />
        )}
        <ErrorNotice error={error} />
        {!!unstated?.length && (
          <Alert color="yellow" role="status">
            {t('register.basesMissing', { categories: unstated.join(', ') })}
          </Alert>
        )}
        {register && (
          <DataTable
            rows={personal}
            rowKey={(r) => r.table}
            testId="register"
            label={t('register.title')}
            minWidth={900}
            columns={[
              {
                header: t('register.table'),
                cell: (r) => (
                  <Text size="sm" ff="monospace">
                    {r.table}
                  </Text>
                ),
              },
              {
                header: t('register.categories'),
                cell: (r) => r.categories.map((c) => t(`register.category.${c}`)).join(', '),
              },
              { header: t('register.purpose'), cell: (r) => r.purpose },
              {
                header: t('register.retention'),
                cell: (r) => (
                  <Stack gap={0}>
                    <Text size="sm">{r.retention}</Text>
                    {r.retentionDays != null && (
                      <Text size="sm" fw={600}>
                        {t('register.inForce', { count: r.retentionDays })}
                      </Text>
                    )}
                  </Stack>
                ),
              },
              {
                header: t('register.lastPurge'),
                cell: (r) =>
                  r.lastPurgeAt
                    ? t('register.purged', { date: dateTime(r.lastPurgeAt), count: r.lastPurged ?? 0 })
                    : '—',
              },
            ]}
          />
        )}
        <Text size="sm">
          <a href="/docs/data-protection/register">{t('register.full')}</a>
        </Text>
      </Stack>
    </Section>
  );
}
