import { useMutation, useQuery } from '@apollo/client/react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { CONSOLE_ROUTES, consolePath } from '../../../../src/shared/console-routes';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { options, SETTABLE_CASE_STATUSES } from '../../format/enums';
import { saveFile } from '../../format/files';
import { count, day } from '../../format/time';
import {
  CaseDocument,
  type CaseQuery,
  type CaseStatus,
  DraftBulletinFromCaseDocument,
  ReferCaseDocument,
  ReplyToReporterDocument,
  ReportRecipientsDocument,
  SetCaseStatusDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { freshToken } from '../../session/session';
import { AttentionBadge, CaseQueryError, Deadlines } from './CaseParts';

type Case = CaseQuery['whistleblowerCase'];

/** An attachment is saved as a file, never shown in the page (its content could be anything). */
async function download(caseId: string, attachment: Case['attachments'][number]): Promise<void> {
  const response = await fetch(`/cases/${caseId}/attachments/${attachment.id}`, {
    headers: { authorization: `Bearer ${await freshToken()}` },
  });
  if (!response.ok) throw new Error(response.statusText);
  saveFile(await response.blob(), attachment.filename);
}

function Reply({ c, onDone }: { c: Case; onDone: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [feedback, setFeedback] = useState(false);
  const [reply, { loading, error }] = useMutation(ReplyToReporterDocument);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void reply({ variables: { caseId: c.id, body, feedback } })
      .then(() => {
        setBody('');
        setFeedback(false);
        onDone();
      })
      .catch(() => undefined);
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={t('cases.reply')}>
      <Stack gap="xs">
        <Textarea
          label={t('cases.reply')}
          description={c.acknowledgedOn ? t('cases.replyHelp') : t('cases.firstReplyHelp')}
          required
          autosize
          minRows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
        <Checkbox
          label={t('cases.isFeedback')}
          checked={feedback}
          onChange={(e) => setFeedback(e.currentTarget.checked)}
        />
        <ErrorNotice error={error} />
        <Group>
          <Button type="submit" loading={loading}>
            {t('cases.send')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Status changes and referral: each effect stated before it is done. */
function Handling({ c, onDone }: { c: Case; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const own = useQuery(ViewerDocument).data?.me.organisation?.id;
  const recipients = (useQuery(ReportRecipientsDocument).data?.reportRecipients ?? []).filter((o) => o.id !== own);
  const [status, setStatus] = useState<CaseStatus | null>(null);
  const [note, setNote] = useState('');
  const [to, setTo] = useState<string | null>(null);
  const [change] = useMutation(SetCaseStatusDocument);
  const [refer] = useMutation(ReferCaseDocument);
  const [draft] = useMutation(DraftBulletinFromCaseDocument);
  const target = recipients.find((o) => o.id === to)?.name ?? '';
  return (
    <Group align="stretch" grow>
      <Card withBorder component="section" aria-label={t('cases.changeStatus')}>
        <Stack gap="xs">
          <Select
            label={t('cases.status')}
            allowDeselect={false}
            data={options(t, 'caseStatus', SETTABLE_CASE_STATUSES).filter((o) => o.value !== c.status)}
            value={status}
            onChange={(v) => setStatus(v as CaseStatus)}
          />
          <Textarea label={t('cases.note')} autosize value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Group>
            <ConfirmButton
              label={t('cases.changeStatus')}
              title={t('cases.changeStatus')}
              effect={status ? t(`cases.statusEffect.${status}`) : ''}
              confirm={t('cases.changeStatus')}
              disabled={!status}
              onConfirm={() =>
                change({ variables: { caseId: c.id, status: status!, note: note || null } }).then(() => {
                  setStatus(null);
                  setNote('');
                  onDone();
                })
              }
            />
          </Group>
        </Stack>
      </Card>
      <Card withBorder component="section" aria-label={t('cases.refer')}>
        <Stack gap="xs">
          <Select
            label={t('cases.referTo')}
            data={recipients.map((o) => ({ value: o.id, label: o.name }))}
            value={to}
            onChange={setTo}
          />
          <Group>
            <ConfirmButton
              label={t('cases.refer')}
              title={t('cases.refer')}
              effect={t('cases.referEffect', { organisation: target })}
              confirm={t('cases.refer')}
              color="red.9"
              disabled={!to}
              onConfirm={() =>
                refer({ variables: { caseId: c.id, organisationId: to! } }).then(() => navigate(CONSOLE_ROUTES.cases))
              }
            />
          </Group>
        </Stack>
      </Card>
      <Card withBorder component="section" aria-label={t('cases.toAlert')}>
        <Stack gap="xs">
          <Text size="sm">{t('cases.toAlertHelp')}</Text>
          {c.bulletinIds.map((b) => (
            <Anchor key={b} component={Link} to={consolePath('bulletin', { id: b })} size="sm">
              {t('cases.bulletinFromCase')}
            </Anchor>
          ))}
          <Group>
            <ConfirmButton
              label={t('cases.toAlert')}
              title={t('cases.toAlert')}
              effect={t('cases.toAlertEffect')}
              confirm={t('cases.toAlert')}
              onConfirm={() =>
                draft({ variables: { caseId: c.id } }).then(
                  (r) => r.data && navigate(consolePath('draft', { id: r.data.draftBulletinFromCase.id })),
                )
              }
            />
          </Group>
        </Stack>
      </Card>
    </Group>
  );
}

export default function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [downloadError, setDownloadError] = useState<unknown>(null);
  // Not cached: the case's content lives only as long as this page shows it.
  const { data, error, refetch } = useQuery(CaseDocument, { variables: { id }, fetchPolicy: 'no-cache' });
  const c = data?.whistleblowerCase;
  return (
    <Stack maw={900}>
      <Anchor component={Link} to={CONSOLE_ROUTES.cases}>
        {t('cases.back')}
      </Anchor>
      <CaseQueryError error={error} retry={() => void refetch()} />
      {!c && !error && <Loading />}
      {c && (
        <>
          <Group gap="xs">
            <Title order={1} size="h2">
              {t(`enums.reportCategory.${c.category}`)} · {c.reference} ·{' '}
              {t('cases.received', { date: day(c.receivedOn) })}
            </Title>
            <AttentionBadge attention={c.attention} />
            <Badge variant="filled" color="gray.2">
              {t(`enums.caseStatus.${c.status}`)}
            </Badge>
          </Group>
          <Deadlines c={c} />
          <Card withBorder component="section" aria-label={t('cases.report')}>
            <Title order={2} size="h4" mb="xs">
              {t('cases.report')}
            </Title>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Text>
          </Card>
          {c.attachments.length > 0 && (
            <Stack gap="xs" component="section" aria-label={t('cases.attachments')}>
              <Title order={2} size="h4">
                {t('cases.attachments')}
              </Title>
              <ErrorNotice error={downloadError} />
              {c.attachments.map((a) => (
                <Group key={a.id} gap="xs">
                  <Button
                    variant="default"
                    size="xs"
                    aria-label={t('cases.download', { name: a.filename })}
                    onClick={() => void download(c.id, a).catch(setDownloadError)}
                  >
                    {t('cases.downloadShort')}
                  </Button>
                  <Text size="sm">
                    {a.filename} · {t('cases.bytes', { size: count(a.size) })}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
          <Stack gap="xs" component="section" aria-label={t('cases.messages')}>
            <Title order={2} size="h4">
              {t('cases.messages')}
            </Title>
            {c.messages.length === 0 && <Text c="dimmed">{t('cases.noMessages')}</Text>}
            {c.messages.map((m, i) => (
              <Paper key={i} withBorder p="xs" bg={m.from === 'NOTE' ? 'gray.0' : undefined}>
                <Text size="xs" c="dimmed">
                  {t(`cases.from.${m.from}`)} · {day(m.at)}
                </Text>
                <Text style={{ whiteSpace: 'pre-wrap' }}>{m.body}</Text>
              </Paper>
            ))}
          </Stack>
          <Reply c={c} onDone={() => void refetch()} />
          <Handling c={c} onDone={() => void refetch()} />
        </>
      )}
    </Stack>
  );
}
