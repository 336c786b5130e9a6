import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Checkbox,
  Button,
  Card,
  Grid,
  Group,
  MultiSelect,
  Radio,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { IndicatorType } from '../../../../src/shared/indicator-rules';
import { consolePath } from '../../../../src/shared/console-routes';
import { LOCODE } from '../../../../src/shared/locode';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { Tlp, TLP_LEVELS } from '../../components/Tlp';
import {
  CATEGORIES,
  CERTAINTIES,
  credibilityOptions,
  options,
  reliabilityOptions,
  SEVERITIES,
  URGENCIES,
} from '../../format/enums';
import { count, time } from '../../format/time';
import {
  AudiencePreviewDocument,
  type BulletinInput,
  type ComposeSourceQuery,
  ComposeSourceDocument,
  CreateDraftDocument,
  PublishDocument,
  RecipientDirectoryDocument,
  ReviseDocument,
  UpdateDraftDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { checkRow, type IndicatorRow, IndicatorRows } from './IndicatorRows';
import { DateField } from '../../components/DateField';

const AUTOSAVE_MS = 1200;

type Form = Required<Omit<BulletinInput, 'indicators' | 'validUntil'>> & {
  indicators: IndicatorRow[];
  validUntil: string;
};

const EMPTY: Form = {
  title: '',
  summary: '',
  body: '',
  category: 'INSIDER_THREAT',
  severity: 'SEVERE',
  urgency: 'IMMEDIATE',
  certainty: 'LIKELY',
  tlp: 'AMBER',
  ports: [],
  recipientOrganisationIds: [],
  recipientUserIds: [],
  indicators: [{ type: IndicatorType.CONTAINER_NUMBER, value: '' }],
  validUntil: '',
  sourceReliability: 'F',
  informationCredibility: 'CANNOT_BE_JUDGED',
  showRecipients: false,
  respondWithinMinutes: null,
};

/** Deadlines an author may ask responses by, in minutes. */
const RESPONSE_WINDOWS = [60, 240, 1440, 4320];

/** datetime-local speaks the reader's local time without a zone; the API speaks ISO 8601. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function fromSource(b: ComposeSourceQuery['bulletin']): Form {
  return {
    title: b.title,
    summary: b.summary,
    body: b.body,
    category: b.category,
    severity: b.severity,
    urgency: b.urgency,
    certainty: b.certainty,
    tlp: b.tlp,
    ports: b.ports,
    recipientOrganisationIds: b.recipientOrganisationIds,
    recipientUserIds: b.recipientUserIds,
    indicators: b.indicators.length
      ? b.indicators.map((i) => ({ type: i.type as IndicatorType, value: i.value }))
      : EMPTY.indicators,
    validUntil: toLocalInput(b.validUntil ?? null),
    sourceReliability: b.sourceReliability,
    informationCredibility: b.informationCredibility,
    showRecipients: b.showRecipients,
    respondWithinMinutes: b.respondWithinMinutes ?? null,
  };
}

function toInput(form: Form): BulletinInput {
  return {
    ...form,
    recipientOrganisationIds: form.tlp === 'AMBER' || form.tlp === 'AMBER_STRICT' ? form.recipientOrganisationIds : [],
    recipientUserIds: form.tlp === 'RED' ? form.recipientUserIds : [],
    indicators: form.indicators.filter((i) => i.value.trim()),
    validUntil: form.validUntil ? new Date(form.validUntil).toISOString() : null,
  };
}

/** What still keeps the draft from being saved, in the order the form asks for it. */
function blockers(form: Form): string[] {
  const missing: string[] = [];
  if (form.title.trim().length < 3) missing.push('title');
  if (!form.summary.trim()) missing.push('summary');
  if (form.indicators.some((row) => checkRow(row))) missing.push('indicators');
  if (form.ports.some((p) => !LOCODE.test(p))) missing.push('ports');
  if (form.tlp === 'RED' && !form.recipientUserIds.length) missing.push('recipientUsers');
  return missing;
}

function RedRecipients({ form, set }: { form: Form; set: (patch: Partial<Form>) => void }) {
  const { t } = useTranslation();
  const { organisations } = useOrganisationDirectory();
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [load, directory] = useLazyQuery(RecipientDirectoryDocument);
  const [known, setKnown] = useState<Record<string, string>>({});
  useEffect(() => {
    if (organisationId) void load({ variables: { organisationId } });
  }, [organisationId, load]);
  const people = directory.data?.recipientDirectory ?? [];
  useEffect(() => {
    if (people.length) setKnown((k) => ({ ...k, ...Object.fromEntries(people.map((p) => [p.id, p.displayName])) }));
  }, [people]);
  const data = [
    ...people.map((p) => ({ value: p.id, label: p.displayName })),
    ...form.recipientUserIds
      .filter((id) => !people.some((p) => p.id === id))
      .map((id) => ({ value: id, label: known[id] ?? String(id).slice(0, 8) })),
  ];
  return (
    <Stack gap="xs">
      <Select
        label={t('compose.redOrganisation')}
        data={organisations.map((o) => ({ value: o.id, label: o.name }))}
        value={organisationId}
        onChange={setOrganisationId}
        searchable
      />
      <MultiSelect
        label={t('compose.redUsers')}
        description={t('compose.redUsersHelp')}
        data={data}
        value={form.recipientUserIds}
        onChange={(recipientUserIds) => set({ recipientUserIds })}
        searchable
      />
    </Stack>
  );
}

function AudiencePreview({ id, version }: { id: string; version: number }) {
  const { t } = useTranslation();
  const { data, error, refetch } = useQuery(AudiencePreviewDocument, {
    variables: { id },
    fetchPolicy: 'network-only',
  });
  useEffect(() => {
    if (version) void refetch();
  }, [version, refetch]);
  if (error) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  const { people, recipients } = data.audiencePreview;
  const organisations = recipients.filter((r) => r.organisation).length;
  return (
    <Card withBorder data-testid="audience-preview">
      <Title order={2} size="h4">
        {t('compose.audience')}
      </Title>
      <Text fw={600} aria-live="polite">
        {t('compose.audienceSummary', { organisations: count(organisations), people: count(people), count: people })}
      </Text>
      <Stack gap={2} mt="xs">
        {recipients.map((r) => (
          <Text size="sm" key={r.organisation?.id ?? r.user?.id}>
            {r.organisation?.name ?? r.user?.displayName} — {t(`enums.accessReason.${r.reason}`)} ·{' '}
            {t('compose.people', { count: r.people, n: count(r.people) })}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

export default function ComposePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const me = useQuery(ViewerDocument).data?.me;
  const source = useQuery(ComposeSourceDocument, {
    variables: { id: id ?? '' },
    skip: !id,
    fetchPolicy: 'network-only',
  });
  const { organisations, ports: alliancePorts } = useOrganisationDirectory();
  const [form, setForm] = useState<Form>(EMPTY);
  const [loadedFor, setLoadedFor] = useState<string | undefined>(undefined);
  const [changeNote, setChangeNote] = useState('');
  const [saved, setSaved] = useState<{ at: string; version: number } | null>(null);
  const [dirty, setDirty] = useState(false);
  const [create, creating] = useMutation(CreateDraftDocument);
  const [update, updating] = useMutation(UpdateDraftDocument);
  const [publish, publishing] = useMutation(PublishDocument);
  const [revise, revising] = useMutation(ReviseDocument);
  const saving = useRef(false);

  const status = source.data?.bulletin.status;
  const revision = !!id && !!status && status !== 'DRAFT';

  // A draft or a published bulletin opened for revision fills the form once.
  useEffect(() => {
    if (source.data && loadedFor !== id) {
      setForm(fromSource(source.data.bulletin));
      setLoadedFor(id);
      setSaved({ at: new Date().toISOString(), version: 1 });
    }
    if (!id && loadedFor) {
      setForm(EMPTY);
      setLoadedFor(undefined);
      setSaved(null);
    }
  }, [source.data, id, loadedFor]);

  const missing = useMemo(() => blockers(form), [form]);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };

  // Autosave: a new or changed draft goes to the server a moment after the analyst stops typing.
  useEffect(() => {
    if (!dirty || revision || missing.length || saving.current) return;
    const timer = setTimeout(() => {
      saving.current = true;
      setDirty(false);
      const input = toInput(form);
      const done = (at: string) => setSaved((s) => ({ at, version: (s?.version ?? 0) + 1 }));
      const request = id
        ? update({ variables: { id, input } }).then((r) => r.data && done(r.data.updateDraft.updatedAt))
        : create({ variables: { input } }).then((r) => {
            if (!r.data) return;
            done(r.data.createBulletin.updatedAt);
            setLoadedFor(r.data.createBulletin.id);
            void navigate(consolePath('draft', { id: r.data.createBulletin.id }), { replace: true });
          });
      void request
        .catch(() => setDirty(true))
        .finally(() => {
          saving.current = false;
        });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [form, dirty, revision, missing, id, create, update, navigate]);

  if (id && source.loading && !source.data) return <Loading />;
  if (id && source.error) return <ErrorNotice error={source.error} />;

  const saveError = creating.error ?? updating.error;
  const ports = [...new Set([...(me?.organisation?.ports ?? []), ...alliancePorts])].sort();
  const others = organisations.filter((o) => o.id !== me?.organisation?.id);
  const upToDate = !dirty && !creating.loading && !updating.loading && !!saved && !missing.length;

  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {revision ? t('compose.reviseTitle') : t('compose.title')}
      </Title>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <TextInput
              label={t('bulletin.fields.title')}
              required
              value={form.title}
              maxLength={200}
              onChange={(e) => set({ title: e.currentTarget.value })}
            />
            <Textarea
              label={t('bulletin.fields.summary')}
              required
              autosize
              minRows={2}
              maxLength={2000}
              value={form.summary}
              onChange={(e) => set({ summary: e.currentTarget.value })}
            />
            <Textarea
              label={t('bulletin.fields.body')}
              autosize
              minRows={5}
              value={form.body}
              onChange={(e) => set({ body: e.currentTarget.value })}
            />
            <IndicatorRows rows={form.indicators} onChange={(indicators) => set({ indicators })} />
            <Group grow wrap="wrap">
              <Select
                label={t('bulletin.fields.category')}
                data={options(t, 'category', CATEGORIES)}
                value={form.category}
                allowDeselect={false}
                onChange={(v) => v && set({ category: v as Form['category'] })}
              />
              <Select
                label={t('bulletin.fields.severity')}
                data={options(t, 'severity', SEVERITIES)}
                value={form.severity}
                allowDeselect={false}
                onChange={(v) => v && set({ severity: v as Form['severity'] })}
              />
            </Group>
            <Group grow wrap="wrap">
              <Select
                label={t('bulletin.fields.urgency')}
                data={options(t, 'urgency', URGENCIES)}
                value={form.urgency}
                allowDeselect={false}
                onChange={(v) => v && set({ urgency: v as Form['urgency'] })}
              />
              <Select
                label={t('bulletin.fields.certainty')}
                data={options(t, 'certainty', CERTAINTIES)}
                value={form.certainty}
                allowDeselect={false}
                onChange={(v) => v && set({ certainty: v as Form['certainty'] })}
              />
            </Group>
            <Group grow wrap="wrap">
              <Select
                label={t('compose.reliability')}
                data={reliabilityOptions(t)}
                value={form.sourceReliability}
                allowDeselect={false}
                onChange={(v) => v && set({ sourceReliability: v })}
              />
              <Select
                label={t('compose.credibility')}
                data={credibilityOptions(t)}
                value={form.informationCredibility}
                allowDeselect={false}
                onChange={(v) => v && set({ informationCredibility: v })}
              />
            </Group>
            <TagsInput
              label={t('bulletin.fields.ports')}
              description={t('compose.portsHelp')}
              data={ports}
              value={form.ports}
              error={missing.includes('ports') ? t('compose.portInvalid') : undefined}
              onChange={(v) => set({ ports: v.map((p) => p.trim().toUpperCase()) })}
            />
            <DateField
              withTime
              label={t('bulletin.fields.validUntil')}
              description={t('compose.validUntilHelp')}
              value={form.validUntil}
              onChange={(validUntil) => set({ validUntil })}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Radio.Group label={t('compose.tlp')} value={form.tlp} onChange={(v) => set({ tlp: v })}>
              <Stack gap="xs" mt="xs">
                {TLP_LEVELS.map((level) => (
                  <Radio
                    key={level}
                    value={level}
                    label={<Tlp level={level} />}
                    description={t(`compose.tlpHelp.${level}`)}
                  />
                ))}
              </Stack>
            </Radio.Group>
            {(form.tlp === 'AMBER' || form.tlp === 'AMBER_STRICT') && (
              <MultiSelect
                label={t('compose.recipients')}
                description={t('compose.recipientsHelp')}
                data={others.map((o) => ({ value: o.id, label: o.name }))}
                value={form.recipientOrganisationIds}
                onChange={(recipientOrganisationIds) => set({ recipientOrganisationIds })}
                searchable
              />
            )}
            {form.tlp === 'RED' && <RedRecipients form={form} set={set} />}
            {form.tlp !== 'CLEAR' && form.tlp !== 'GREEN' && (
              <Checkbox
                label={t('compose.showRecipients')}
                description={t('compose.showRecipientsHelp')}
                checked={form.showRecipients}
                onChange={(e) => set({ showRecipients: e.currentTarget.checked })}
              />
            )}
            <Select
              label={t('compose.respondWithin')}
              description={t(revision ? 'compose.respondWithinRevision' : 'compose.respondWithinHelp')}
              data={[
                { value: '', label: t('compose.noResponse') },
                ...RESPONSE_WINDOWS.map((m) => ({
                  value: String(m),
                  label: t('compose.withinHours', { count: m / 60 }),
                })),
              ]}
              value={form.respondWithinMinutes ? String(form.respondWithinMinutes) : ''}
              allowDeselect={false}
              onChange={(v) => set({ respondWithinMinutes: v ? Number(v) : null })}
            />
            {!revision && (
              <Text size="sm" aria-live="polite" data-testid="save-state">
                {missing.length
                  ? t('compose.notSaved', { fields: missing.map((f) => t(`compose.needs.${f}`)).join(', ') })
                  : creating.loading || updating.loading || dirty
                    ? t('compose.saving')
                    : saved
                      ? t('compose.saved', { time: time(saved.at) })
                      : ''}
              </Text>
            )}
            <ErrorNotice error={saveError} />
            {!revision && id && saved && <AudiencePreview id={id} version={saved.version} />}
            {!revision && (
              <>
                <ErrorNotice error={publishing.error} />
                <Button
                  size="md"
                  disabled={!id || !upToDate}
                  loading={publishing.loading}
                  onClick={() =>
                    void publish({ variables: { id: id! } })
                      .then(() => navigate(consolePath('bulletin', { id: id! })))
                      .catch(() => undefined)
                  }
                >
                  {t('compose.publish')}
                </Button>
              </>
            )}
            {revision && (
              <>
                <Alert color="blue">{t('compose.revisionHelp')}</Alert>
                <Textarea
                  label={t('compose.changeNote')}
                  required
                  value={changeNote}
                  onChange={(e) => setChangeNote(e.currentTarget.value)}
                />
                <ErrorNotice error={revising.error} />
                <Button
                  size="md"
                  disabled={!!missing.length || changeNote.trim().length < 3}
                  loading={revising.loading}
                  onClick={() =>
                    void revise({ variables: { id: id, input: toInput(form), changeNote: changeNote.trim() } })
                      .then(() => navigate(consolePath('bulletin', { id: id })))
                      .catch(() => undefined)
                  }
                >
                  {t('compose.publishRevision')}
                </Button>
              </>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
