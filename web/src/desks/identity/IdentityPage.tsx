import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  PasswordInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { Section } from '../../components/Section';
import { dateTime } from '../../format/time';
import {
  type ClientAuth,
  DeleteIdentityProviderDocument,
  IdentityProviderDocument,
  type IdentityProviderFieldsFragment,
  type IdentityProviderInput,
  SaveIdentityProviderDocument,
  RequirePhishingResistantSignInDocument,
  SignInPolicyDocument,
  TestIdentityProviderDocument,
} from '../../gql/graphql';

/** Whether the organisation's people must sign in in a way a phishing page cannot relay. */
function SignInPolicy() {
  const { t } = useTranslation();
  const policy = useQuery(SignInPolicyDocument).data?.me.organisation;
  const [require, requiring] = useMutation(RequirePhishingResistantSignInDocument);
  if (!policy) return null;
  return (
    <Section title={t('identity.policy')}>
      <Stack gap="xs">
        <Switch
          label={t('identity.phishingResistant')}
          description={t('identity.phishingResistantHelp')}
          checked={policy.requiresPhishingResistant}
          disabled={requiring.loading}
          onChange={(e) => void require({ variables: { required: e.currentTarget.checked } }).catch(() => undefined)}
        />
        <ErrorNotice error={requiring.error} />
      </Stack>
    </Section>
  );
}

const CLIENT_AUTHS: ClientAuth[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const DEFAULT_SCOPES = ['openid', 'email', 'profile', 'offline_access'];

/** The form's values from the saved provider (the secret is never shown: blank keeps it). */
const formOf = (p?: IdentityProviderFieldsFragment | null): IdentityProviderInput => ({
  issuer: p?.issuer ?? '',
  clientId: p?.clientId ?? '',
  clientAuth: p?.clientAuth ?? 'client_secret_basic',
  clientSecret: '',
  scopes: p?.scopes ?? DEFAULT_SCOPES,
  domains: p?.domains ?? [],
  joinDomains: p?.joinDomains ?? [],
  emailVerifiedClaim: p?.emailVerifiedClaim ?? 'email_verified',
  roleClaim: p?.roleClaim ?? '',
  analystValues: p?.analystValues ?? [],
  adminValues: p?.adminValues ?? [],
  required: p?.required ?? false,
});

/** What the provider needs to know of us, to copy into its client registration. */
function Endpoints({ provider }: { provider: IdentityProviderFieldsFragment }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('identity.redirectUri'), provider.redirectUri],
    [t('identity.backChannelLogoutUri'), provider.backChannelLogoutUri],
    ...(provider.clientAuth === 'private_key_jwt'
      ? [[t('identity.jwksUri'), provider.jwksUri] as [string, string]]
      : []),
  ];
  return (
    <Stack gap={4}>
      {rows.map(([label, value]) => (
        <Group key={label} gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
        </Group>
      ))}
    </Stack>
  );
}

/** The last test sign-in, as the admin who tried it saw it. */
function LastTest({ provider }: { provider: IdentityProviderFieldsFragment }) {
  const { t } = useTranslation();
  const test = provider.lastTest;
  if (!test) return <Text size="sm">{t('identity.neverTested')}</Text>;
  return test.admitted ? (
    <Alert color="teal" title={t('identity.testAdmitted', { date: dateTime(test.at) })}>
      {t('identity.testAdmittedText', { email: test.email ?? '—', role: t(`enums.role.${test.role ?? 'MEMBER'}`) })}
    </Alert>
  ) : (
    <Alert color="red" title={t('identity.testRefused', { date: dateTime(test.at) })}>
      {test.email ? `${test.email}: ` : ''}
      {test.reason}
    </Alert>
  );
}

/**
 * The organisation's own identity provider (OpenID Connect): its people sign in through it, joiners
 * and leavers follow its directory. Organisation admins configure and test it; a platform
 * administrator approves it before anyone signs in through it.
 */
export default function IdentityPage() {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(IdentityProviderDocument, { fetchPolicy: 'cache-and-network' });
  const provider = data?.identityProvider;
  const [form, setForm] = useState<IdentityProviderInput>(formOf());
  const [save, saving] = useMutation(SaveIdentityProviderDocument, { refetchQueries: [IdentityProviderDocument] });
  const [remove, removing] = useMutation(DeleteIdentityProviderDocument, {
    refetchQueries: [IdentityProviderDocument],
  });
  const [test, testing] = useMutation(TestIdentityProviderDocument);
  useEffect(() => setForm(formOf(provider)), [provider]);
  const set = (patch: Partial<IdentityProviderInput>) => setForm((f) => ({ ...f, ...patch }));
  const withSecret = form.clientAuth !== 'private_key_jwt';

  if (loading && !data) return <Loading />;
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('identity.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('identity.help')}
      </Text>
      <ErrorNotice error={error} />
      <SignInPolicy />
      {provider && (
        <Section title={t('identity.status')}>
          <Stack gap="sm">
            <Group>
              {provider.approvedAt ? (
                <Badge variant="filled" color="teal.9">
                  {t('identity.approvedOn', { date: dateTime(provider.approvedAt) })}
                </Badge>
              ) : (
                <Badge variant="filled" color="yellow.2">
                  {t('identity.awaiting')}
                </Badge>
              )}
            </Group>
            {!provider.approvedAt && <Text size="sm">{t('identity.awaitingText')}</Text>}
            <Text size="sm">{t('identity.registerThese')}</Text>
            <Endpoints provider={provider} />
            <LastTest provider={provider} />
            <ErrorNotice error={testing.error} />
            <Group>
              <Button
                variant="default"
                loading={testing.loading}
                onClick={() =>
                  void test()
                    .then((r) => r.data && window.location.assign(r.data.testIdentityProvider))
                    .catch(() => undefined)
                }
              >
                {t('identity.test')}
              </Button>
            </Group>
          </Stack>
        </Section>
      )}
      <Section title={provider ? t('identity.settings') : t('identity.new')}>
        <Stack gap="sm">
          <TextInput
            label={t('identity.issuer')}
            description={t('identity.issuerHelp')}
            placeholder="https://login.example.org/realms/police"
            value={form.issuer}
            required
            onChange={(e) => set({ issuer: e.currentTarget.value })}
          />
          <Group grow wrap="wrap" align="flex-start">
            <TextInput
              label={t('identity.clientId')}
              value={form.clientId}
              required
              onChange={(e) => set({ clientId: e.currentTarget.value })}
            />
            <Select
              label={t('identity.clientAuth')}
              description={t('identity.clientAuthHelp')}
              data={CLIENT_AUTHS.map((a) => ({ value: a, label: a }))}
              value={form.clientAuth}
              allowDeselect={false}
              onChange={(v) => v && set({ clientAuth: v })}
            />
          </Group>
          {withSecret && (
            <PasswordInput
              label={t('identity.clientSecret')}
              description={provider?.hasClientSecret ? t('identity.clientSecretKept') : t('identity.clientSecretHelp')}
              autoComplete="off"
              value={form.clientSecret ?? ''}
              onChange={(e) => set({ clientSecret: e.currentTarget.value })}
            />
          )}
          <TagsInput
            label={t('identity.domains')}
            description={t('identity.domainsHelp')}
            value={form.domains}
            onChange={(domains) =>
              set({ domains, joinDomains: (form.joinDomains ?? []).filter((d) => domains.includes(d)) })
            }
          />
          <TagsInput
            label={t('identity.joinDomains')}
            description={t('identity.joinDomainsHelp')}
            data={form.domains}
            value={form.joinDomains}
            onChange={(joinDomains) => set({ joinDomains })}
          />
          <TextInput
            label={t('identity.emailVerifiedClaim')}
            description={t('identity.emailVerifiedClaimHelp')}
            value={form.emailVerifiedClaim ?? ''}
            onChange={(e) => set({ emailVerifiedClaim: e.currentTarget.value })}
          />
          <TagsInput
            label={t('identity.scopes')}
            description={t('identity.scopesHelp')}
            value={form.scopes}
            onChange={(scopes) => set({ scopes })}
          />
          <TextInput
            label={t('identity.roleClaim')}
            description={t('identity.roleClaimHelp')}
            placeholder="groups"
            value={form.roleClaim ?? ''}
            onChange={(e) => set({ roleClaim: e.currentTarget.value })}
          />
          {!!form.roleClaim?.trim() && (
            <Group grow wrap="wrap" align="flex-start">
              <TagsInput
                label={t('identity.analystValues')}
                value={form.analystValues}
                onChange={(analystValues) => set({ analystValues })}
              />
              <TagsInput
                label={t('identity.adminValues')}
                value={form.adminValues}
                onChange={(adminValues) => set({ adminValues })}
              />
            </Group>
          )}
          <Switch
            label={t('identity.required')}
            description={t('identity.requiredHelp')}
            checked={form.required}
            onChange={(e) => set({ required: e.currentTarget.checked })}
          />
          <ErrorNotice error={saving.error ?? removing.error} />
          <Group>
            <Button
              loading={saving.loading}
              disabled={!form.issuer.trim() || !form.clientId.trim() || !form.domains.length}
              onClick={() =>
                void save({
                  variables: {
                    input: {
                      ...form,
                      clientSecret: withSecret && form.clientSecret ? form.clientSecret : null,
                      roleClaim: form.roleClaim?.trim() || null,
                    },
                  },
                }).catch(() => undefined)
              }
            >
              {t('identity.save')}
            </Button>
            {provider && (
              <ConfirmButton
                label={t('identity.remove')}
                title={t('identity.remove')}
                effect={t('identity.removeEffect')}
                confirm={t('identity.remove')}
                color="red.9"
                variant="default"
                onConfirm={() => remove().then(() => setForm(formOf()))}
              />
            )}
          </Group>
        </Stack>
      </Section>
    </Stack>
  );
}
