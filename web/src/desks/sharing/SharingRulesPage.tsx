import { useMutation, useQuery } from '@apollo/client/react';
import { useDebouncedValue } from '@mantine/hooks';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  MultiSelect,
  Select,
  Stack,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { Tlp } from '../../components/Tlp';
import { CATEGORIES, options, ORGANISATION_TYPES } from '../../format/enums';
import { dateTime } from '../../format/time';
import {
  CreateSharingRuleDocument,
  DeleteSharingRuleDocument,
  ExpireSharingRuleDocument,
  type OrganisationType,
  type SharingRuleInput,
  SharingRulePreviewDocument,
  SharingRulesDocument,
  type SharingRulesQuery,
  type SharingSubject,
  type Tlp as TlpLevel,
  UpdateSharingRuleDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';
import { DateField } from '../../components/DateField';
import { CorrelationExclusions } from './CorrelationExclusions';

type Rule = SharingRulesQuery['sharingRules']['edges'][number]['node'];

/** A saved rule as the form edits it. */
const asInput = (r: Rule): SharingRuleInput => ({
  subject: r.subject,
  maxTlp: r.maxTlp,
  categories: r.categories,
  audience: {
    organisationIds: r.audience.organisationIds,
    organisationTypes: r.audience.organisationTypes,
    ports: r.audience.ports,
  },
  allianceWide: !r.organisationId,
  validUntil: r.validUntil,
});

const ended = (r: Rule) => Boolean(r.validUntil && Date.parse(r.validUntil) <= Date.now());

const RULE_TLPS: TlpLevel[] = ['AMBER', 'GREEN', 'CLEAR'];
const SUBJECTS: SharingSubject[] = ['BULLETIN', 'VETTING_STATUS'];

const NEW: SharingRuleInput = {
  subject: 'BULLETIN',
  maxTlp: 'AMBER',
  categories: [],
  audience: { organisationIds: [], organisationTypes: [], ports: [] },
  allianceWide: false,
  validUntil: null,
};

const hasAudience = (r: SharingRuleInput) =>
  Boolean(r.audience.organisationIds?.length || r.audience.organisationTypes?.length || r.audience.ports?.length);

/** What the rule would do if saved now, from the server (the same matching as saved rules). */
function Preview({ rule }: { rule: SharingRuleInput }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(rule, 400);
  const { data, error } = useQuery(SharingRulePreviewDocument, {
    variables: { input: debounced },
    skip: !hasAudience(debounced),
  });
  if (!hasAudience(rule)) return <Text c="dimmed">{t('sharing.previewEmpty')}</Text>;
  if (error) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  const p = data.sharingRulePreview;
  return (
    <Card withBorder data-testid="rule-preview" aria-live="polite">
      <Stack gap="xs">
        <Text fw={600}>{t('sharing.previewOrganisations', { count: p.organisationCount })}</Text>
        <Text size="sm">{p.organisations.map((o) => o.name).join(', ')}</Text>
        {p.bulletinCount !== null && p.bulletinCount !== undefined && (
          <>
            <Text fw={600}>{t('sharing.previewBulletins', { count: p.bulletinCount })}</Text>
            <List size="sm">
              {p.bulletins.map((b) => (
                <List.Item key={b.id}>
                  <Anchor component={Link} to={consolePath('bulletin', { id: b.id })}>
                    {b.title}
                  </Anchor>{' '}
                  · {t(`enums.category.${b.category}`)}
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Card>
  );
}

/** A new rule, or with `editing` a saved one (its kind, alliance-wide or not, stays). */
function RuleForm({
  platform,
  editing,
  onSaved,
}: {
  platform: boolean;
  editing?: { id: string; input: SharingRuleInput };
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [rule, setRule] = useState<SharingRuleInput>(editing?.input ?? NEW);
  const { organisations, ports } = useOrganisationDirectory();
  const [create, creating] = useMutation(CreateSharingRuleDocument);
  const [update, updating] = useMutation(UpdateSharingRuleDocument);
  const audience = (patch: Partial<SharingRuleInput['audience']>) =>
    setRule((r) => ({ ...r, audience: { ...r.audience, ...patch } }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void (editing ? update({ variables: { id: editing.id, input: rule } }) : create({ variables: { input: rule } }))
      .then(() => {
        setRule(NEW);
        onSaved();
      })
      .catch(() => undefined);
  };
  const title = editing ? t('sharing.edit') : t('sharing.new');
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={title}>
      <Stack>
        <Title order={2} size="h3">
          {title}
        </Title>
        <Group grow align="flex-start">
          <Select
            label={t('sharing.subject')}
            allowDeselect={false}
            data={options(t, 'sharingSubject', SUBJECTS)}
            value={rule.subject}
            onChange={(v) => v && setRule({ ...rule, subject: v as SharingSubject, categories: [] })}
          />
          <Select
            label={t('sharing.maxTlp')}
            description={t('sharing.maxTlpHelp')}
            allowDeselect={false}
            data={options(t, 'tlp', RULE_TLPS)}
            value={rule.maxTlp}
            onChange={(v) => v && setRule({ ...rule, maxTlp: v as TlpLevel })}
          />
        </Group>
        {rule.subject === 'BULLETIN' && (
          <MultiSelect
            label={t('sharing.categories')}
            description={t('sharing.categoriesHelp')}
            data={options(t, 'category', CATEGORIES)}
            value={rule.categories ?? []}
            onChange={(categories) => setRule({ ...rule, categories })}
          />
        )}
        <MultiSelect
          label={t('sharing.organisations')}
          searchable
          data={organisations.map((o) => ({ value: o.id, label: o.name }))}
          value={rule.audience.organisationIds ?? []}
          onChange={(organisationIds) => audience({ organisationIds })}
        />
        <Group grow align="flex-start">
          <MultiSelect
            label={t('sharing.types')}
            data={options(t, 'organisationType', ORGANISATION_TYPES)}
            value={rule.audience.organisationTypes ?? []}
            onChange={(types) => audience({ organisationTypes: types as OrganisationType[] })}
          />
          <TagsInput
            label={t('sharing.ports')}
            data={ports}
            value={rule.audience.ports ?? []}
            onChange={(p) => audience({ ports: p.map((x) => x.toUpperCase().replace(/\s/g, '')) })}
          />
        </Group>
        <Group align="flex-end">
          <DateField
            label={t('sharing.validUntil')}
            value={rule.validUntil ? String(rule.validUntil).slice(0, 10) : ''}
            onChange={(day) => setRule({ ...rule, validUntil: day ? `${day}T23:59:59Z` : null })}
          />
          {platform && !editing && (
            <Checkbox
              label={t('sharing.allianceWide')}
              checked={rule.allianceWide ?? false}
              onChange={(e) => setRule({ ...rule, allianceWide: e.currentTarget.checked })}
            />
          )}
        </Group>
        <Title order={3} size="h4">
          {t('sharing.preview')}
        </Title>
        <Preview rule={rule} />
        <ErrorNotice error={creating.error ?? updating.error} />
        <Group>
          <Button
            type="submit"
            w="fit-content"
            loading={creating.loading || updating.loading}
            disabled={!hasAudience(rule)}
          >
            {t('sharing.save')}
          </Button>
          {editing && (
            <Button variant="default" onClick={onSaved}>
              {t('sharing.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

export default function SharingRulesPage() {
  const { t } = useTranslation();
  const me = useQuery(ViewerDocument).data?.me;
  const { data, loading, error, refetch } = useQuery(SharingRulesDocument, { fetchPolicy: 'network-only' });
  const [remove] = useMutation(DeleteSharingRuleDocument);
  const [expire] = useMutation(ExpireSharingRuleDocument);
  const [editing, setEditing] = useState<Rule | null>(null);
  const { nodes: rules } = useConnection(data?.sharingRules);
  const { organisations } = useOrganisationDirectory();
  const nameOf = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;
  const manages = (owner: string | null | undefined) =>
    owner ? me?.role === 'ORG_ADMIN' && owner === me.organisation?.id : Boolean(me?.isPlatformAdmin);
  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        {t('sharing.title')}
      </Title>
      <Text>{t('sharing.help')}</Text>
      {me && (me.role === 'ORG_ADMIN' || me.isPlatformAdmin) && (
        <RuleForm
          // A new form for each rule edited: its fields start from that rule.
          key={editing?.id ?? 'new'}
          platform={me.isPlatformAdmin}
          editing={editing ? { id: editing.id, input: asInput(editing) } : undefined}
          onSaved={() => {
            setEditing(null);
            void refetch();
          }}
        />
      )}
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {rules.map((r) => (
        <Card withBorder key={r.id} component="section" aria-label={t('sharing.rule')}>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Group gap="xs">
                <Badge variant="filled" color="gray.2">
                  {t(`enums.sharingSubject.${r.subject}`)}
                </Badge>
                <Tlp level={r.maxTlp} />
                {!r.organisationId && (
                  <Badge variant="filled" color="blue.8">
                    {t('sharing.allianceWide')}
                  </Badge>
                )}
                {ended(r) && (
                  <Badge variant="filled" color="gray.2">
                    {t('sharing.expired')}
                  </Badge>
                )}
              </Group>
              <Text size="sm">
                {[
                  ...r.audience.organisationIds.map(nameOf),
                  ...r.audience.organisationTypes.map((ty) => t(`enums.organisationType.${ty}`)),
                  ...r.audience.ports,
                ].join(' · ')}
              </Text>
              <Text size="sm" c="dimmed">
                {r.categories.length
                  ? r.categories.map((c) => t(`enums.category.${c}`, { defaultValue: c })).join(', ')
                  : t('sharing.allCategories')}
                {r.validUntil ? ` · ${t('sharing.until', { date: dateTime(r.validUntil) })}` : ''}
              </Text>
            </Stack>
            {manages(r.organisationId) && (
              <Group gap="xs">
                <Button
                  variant="default"
                  onClick={() => {
                    setEditing(r);
                    window.scrollTo({ top: 0 });
                  }}
                >
                  {t('sharing.editButton')}
                </Button>
                {!ended(r) && (
                  <ConfirmButton
                    label={t('sharing.expire')}
                    title={t('sharing.expireTitle')}
                    effect={t('sharing.expireEffect')}
                    confirm={t('sharing.expire')}
                    onConfirm={() => expire({ variables: { id: r.id } })}
                  />
                )}
                <ConfirmButton
                  label={t('sharing.delete')}
                  title={t('sharing.deleteTitle')}
                  effect={t('sharing.deleteEffect')}
                  confirm={t('sharing.delete')}
                  onConfirm={() => remove({ variables: { id: r.id } }).then(() => refetch())}
                />
              </Group>
            )}
          </Group>
        </Card>
      ))}
      {me && (
        <CorrelationExclusions admin={me.role === 'ORG_ADMIN' && !me.isPlatformAdmin} platform={me.isPlatformAdmin} />
      )}
    </Stack>
  );
}
