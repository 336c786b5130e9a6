import { useMutation } from '@apollo/client/react';
import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { consolePath } from '../../../../src/shared/console-routes';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import {
  ADVERSE_VETTING_STATUSES,
  CLEARANCE_VETTING_STATUSES,
  FIRST_VETTING_STATUSES,
  options,
  VETTING_LEVELS,
} from '../../format/enums';
import {
  RecordVettingDocument,
  type VettingLevel,
  type VettingReasonCode,
  type VettingStatus,
} from '../../gql/graphql';
import { DecisionFields, endOfDay } from './DecisionFields';
import { useVettingDesk } from './useVettingDesk';
import { DateField } from '../../components/DateField';

export default function RecordVettingPage() {
  const { t } = useTranslation();
  const desk = useVettingDesk();
  const navigate = useNavigate();
  const { organisations } = useOrganisationDirectory();
  const [identity, setIdentity] = useState({ fullName: '', dateOfBirth: '', documentNumber: '', issuingCountry: '' });
  const [employer, setEmployer] = useState<string | null>(null);
  const [level, setLevel] = useState<VettingLevel>('BASIC');
  const [status, setStatus] = useState<VettingStatus>('PENDING');
  const [reason, setReason] = useState<VettingReasonCode | null>(null);
  const [validUntil, setValidUntil] = useState('');
  const [note, setNote] = useState('');
  const [record, recording] = useMutation(RecordVettingDocument);
  if (!desk) return <Loading />;
  if (!desk.authority)
    return (
      <Alert color="red" role="alert" title={t('vetting.new')}>
        {t('vetting.authorityOnly')}
      </Alert>
    );
  const field = (name: keyof typeof identity) => ({
    value: identity[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setIdentity({ ...identity, [name]: e.currentTarget.value }),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void record({
      variables: {
        input: {
          ...identity,
          issuingCountry: identity.issuingCountry.toUpperCase(),
          employerOrganisationId: employer ?? '',
          level,
          status,
          reasonCode: ADVERSE_VETTING_STATUSES.includes(status) ? reason : null,
          validUntil: CLEARANCE_VETTING_STATUSES.includes(status) && validUntil ? endOfDay(validUntil) : null,
          note: note || null,
        },
      },
    })
      .then((r) => r.data && navigate(consolePath('vettingRecord', { id: r.data.recordVetting.id })))
      .catch(() => undefined);
  };
  return (
    <Stack maw={700} component="form" onSubmit={submit} aria-label={t('vetting.new')}>
      <Title order={1} size="h2">
        {t('vetting.new')}
      </Title>
      <Card withBorder component="fieldset" aria-describedby="sealed-help">
        <Stack gap="xs">
          <Group gap="xs">
            <Text component="legend" fw={600}>
              {t('vetting.identity')}
            </Text>
            <Badge variant="filled" color="gray.2">
              {t('vetting.sealed')}
            </Badge>
          </Group>
          <Text size="sm" id="sealed-help">
            {t('vetting.sealedHelp')}
          </Text>
          <TextInput label={t('vetting.fullName')} required autoComplete="off" {...field('fullName')} />
          <DateField
            label={t('vetting.dateOfBirth')}
            required
            value={identity.dateOfBirth}
            onChange={(dateOfBirth) => setIdentity({ ...identity, dateOfBirth })}
          />
          <Group grow>
            <TextInput
              label={t('vetting.documentNumber')}
              required
              autoComplete="off"
              spellCheck={false}
              {...field('documentNumber')}
            />
            <TextInput
              label={t('vetting.issuingCountry')}
              description={t('vetting.countryHelp')}
              required
              maxLength={2}
              autoComplete="off"
              {...field('issuingCountry')}
            />
          </Group>
        </Stack>
      </Card>
      <Select
        label={t('vetting.employer')}
        required
        searchable
        data={organisations.map((o) => ({ value: o.id, label: o.name }))}
        value={employer}
        onChange={setEmployer}
      />
      <Select
        label={t('vetting.level')}
        allowDeselect={false}
        data={options(t, 'vettingLevel', VETTING_LEVELS)}
        value={level}
        onChange={(v) => v && setLevel(v as VettingLevel)}
      />
      <DecisionFields
        statuses={FIRST_VETTING_STATUSES}
        status={status}
        onStatus={setStatus}
        reason={reason}
        onReason={setReason}
        validUntil={validUntil}
        onValidUntil={setValidUntil}
      />
      <Textarea
        label={t('vetting.note')}
        description={t('vetting.restrictedHelp')}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <ErrorNotice error={recording.error} />
      <Group>
        <Button type="submit" loading={recording.loading}>
          {t('vetting.save')}
        </Button>
      </Group>
    </Stack>
  );
}
