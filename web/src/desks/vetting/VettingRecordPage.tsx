import { useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { CONSOLE_ROUTES } from '../../../../src/shared/console-routes';
import { TRANSITIONS } from '../../../../src/shared/vetting-rules';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DateField } from '../../components/DateField';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { ADVERSE_VETTING_STATUSES, CLEARANCE_VETTING_STATUSES } from '../../format/enums';
import { dateTime, day } from '../../format/time';
import {
  ChangeVettingStatusDocument,
  RecordEmploymentEndDocument,
  RenewVettingDocument,
  type VettingReasonCode,
  VettingRecordDocument,
  type VettingRecordQuery,
  type VettingStatus,
} from '../../gql/graphql';
import { DecisionFields, endOfDay } from './DecisionFields';
import { useVettingDesk } from './useVettingDesk';
import { subjectLabel, VettingStatusBadge } from './SubjectSummary';

type Record_ = VettingRecordQuery['vettingRecord'];

/** One date, and an action taken with it once its effect is stated. */
function DatedAction({
  action,
  dateLabel,
  effect,
  onConfirm,
}: {
  action: string;
  dateLabel: string;
  effect: (date: string) => string;
  onConfirm: (date: string) => Promise<unknown>;
}) {
  const [date, setDate] = useState('');
  return (
    <Card withBorder component="section" aria-label={action}>
      <Group align="flex-end">
        <DateField label={dateLabel} value={date} onChange={setDate} />
        <ConfirmButton
          label={action}
          title={action}
          effect={effect(date)}
          confirm={action}
          disabled={!date}
          onConfirm={() => onConfirm(date)}
        />
      </Group>
    </Card>
  );
}

/** The authority's decisions on a record, each stated before it is done. */
function Decisions({ record, onDone }: { record: Record_; onDone: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<VettingStatus | null>(null);
  const [reason, setReason] = useState<VettingReasonCode | null>(null);
  const [note, setNote] = useState('');
  const [change] = useMutation(ChangeVettingStatusDocument);
  const [renew] = useMutation(RenewVettingDocument);
  const [end] = useMutation(RecordEmploymentEndDocument);
  const next = (TRANSITIONS[record.status] ?? []) as VettingStatus[];
  const name = record.subject.fullName;
  const reset = () => {
    setStatus(null);
    setNote('');
    onDone();
  };
  return (
    <Stack>
      {next.length > 0 && (
        <Card withBorder component="section" aria-label={t('vetting.changeStatus')}>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('vetting.changeStatus')}
            </Title>
            <DecisionFields statuses={next} status={status} onStatus={setStatus} reason={reason} onReason={setReason} />
            <Textarea
              label={t('vetting.why')}
              description={t('vetting.restrictedHelp')}
              required
              autosize
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group>
              <ConfirmButton
                label={t('vetting.changeStatus')}
                title={t('vetting.changeStatus')}
                effect={status ? t(`vetting.statusEffect.${status}`, { name }) : ''}
                confirm={t('vetting.changeStatus')}
                disabled={!status || !note.trim() || (ADVERSE_VETTING_STATUSES.includes(status) && !reason)}
                onConfirm={() =>
                  change({
                    variables: {
                      id: record.id,
                      status: status!,
                      note,
                      reasonCode: ADVERSE_VETTING_STATUSES.includes(status!) ? reason : null,
                    },
                  }).then(reset)
                }
              />
            </Group>
          </Stack>
        </Card>
      )}
      {(CLEARANCE_VETTING_STATUSES.includes(record.status) || record.status === 'EXPIRED') && (
        <DatedAction
          action={t('vetting.renew')}
          dateLabel={t('vetting.renewTo')}
          effect={(date) => t('vetting.renewEffect', { name, date: date ? day(endOfDay(date)) : '' })}
          onConfirm={(date) => renew({ variables: { id: record.id, validUntil: endOfDay(date) } }).then(onDone)}
        />
      )}
      {!record.employmentEndedOn && (
        <DatedAction
          action={t('vetting.employmentEnd')}
          dateLabel={t('vetting.employmentEndedOn')}
          effect={() => t('vetting.employmentEndEffect', { name })}
          onConfirm={(endedOn) => end({ variables: { id: record.id, endedOn } }).then(onDone)}
        />
      )}
    </Stack>
  );
}

export default function VettingRecordPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const desk = useVettingDesk();
  const { data, error, refetch } = useQuery(VettingRecordDocument, { variables: { id }, fetchPolicy: 'network-only' });
  const record = data?.vettingRecord;
  const authority = !!record && record.vettingAuthority.id === desk?.organisationId && desk.authority;
  return (
    <Stack maw={800}>
      <Anchor component={Link} to={CONSOLE_ROUTES.vetting}>
        {t('vetting.back')}
      </Anchor>
      <ErrorNotice error={error} />
      {!record && !error && <Loading />}
      {record && (
        <>
          <Group gap="xs">
            <Title order={1} size="h2">
              {subjectLabel(record.subject)}
            </Title>
            <VettingStatusBadge status={record.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {t('vetting.sealedShown')}
          </Text>
          <List spacing={2}>
            <List.Item>{t(`enums.vettingLevel.${record.level}`)}</List.Item>
            <List.Item>
              {t('vetting.validity', {
                from: day(record.validFrom),
                until: record.validUntil ? day(record.validUntil) : '—',
              })}
            </List.Item>
            <List.Item>{t('vetting.employedBy', { organisation: record.employerOrganisation.name })}</List.Item>
            <List.Item>{t('vetting.vettedBy', { organisation: record.vettingAuthority.name })}</List.Item>
            {record.employmentEndedOn && (
              <List.Item>{t('vetting.employmentEnded', { date: day(record.employmentEndedOn) })}</List.Item>
            )}
            {record.reasonCode && <List.Item>{t(`enums.vettingReason.${record.reasonCode}`)}</List.Item>}
          </List>
          <Title order={2} size="h4">
            {t('vetting.history')}
          </Title>
          <List spacing={4} aria-label={t('vetting.history')}>
            {record.history.map((h) => (
              <List.Item key={`${h.changedAt}-${h.kind}`}>
                {dateTime(h.changedAt)} · {t(`vetting.kind.${h.kind}`)} · {t(`enums.vettingStatus.${h.status}`)}
                {h.reasonCode ? ` · ${t(`enums.vettingReason.${h.reasonCode}`)}` : ''}
                {h.note ? ` · ${h.note}` : ''}
              </List.Item>
            ))}
          </List>
          {authority && <Decisions record={record} onDone={() => void refetch()} />}
        </>
      )}
    </Stack>
  );
}
