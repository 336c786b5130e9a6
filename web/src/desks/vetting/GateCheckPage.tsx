import { useLazyQuery, useQuery } from '@apollo/client/react';
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describe, ErrorNotice } from '../../components/ErrorNotice';
import { day } from '../../format/time';
import { GateCheckDocument, type GateCheckQuery, ViewerDocument } from '../../gql/graphql';
import { IssuingCountryField } from './SubjectSummary';

type Answer = 'CLEARED' | 'NOT_CLEARED' | 'UNKNOWN';

const LOOK: Record<Answer, { bg: string; c: string }> = {
  CLEARED: { bg: 'teal.9', c: 'white' },
  NOT_CLEARED: { bg: 'red.9', c: 'white' },
  UNKNOWN: { bg: 'gray.2', c: 'black' },
};

/** The answer in a glance: only a current clearance admits; anything the caller may not see is unknown. */
function answerOf(check: GateCheckQuery['checkVettingStatus'] | undefined, notFound: boolean): Answer | null {
  if (notFound) return 'UNKNOWN';
  if (!check) return null;
  return check.status === 'CLEARED' || check.status === 'CONDITIONAL' ? 'CLEARED' : 'NOT_CLEARED';
}

/** The badge check at the gate: one field, for a phone held in one hand. */
export default function GateCheckPage() {
  const { t } = useTranslation();
  // Badges of the organisation's own country, unless the officer says otherwise.
  const home = useQuery(ViewerDocument).data?.me.organisation?.ports[0]?.slice(0, 2) ?? '';
  const [documentNumber, setDocumentNumber] = useState('');
  const [country, setCountry] = useState<string | null>(null);
  const [check, { data, error, loading }] = useLazyQuery(GateCheckDocument, { fetchPolicy: 'network-only' });
  const issuingCountry = (country ?? home).toUpperCase();
  const notFound = !!error && describe(error).code === 'NOT_FOUND';
  const answer = loading ? null : answerOf(data?.checkVettingStatus, notFound);
  const result = data?.checkVettingStatus;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void check({ variables: { documentNumber, issuingCountry } }).catch(() => undefined);
  };
  return (
    <Stack maw={520}>
      <Title order={1} size="h2">
        {t('gate.title')}
      </Title>
      <Stack component="form" onSubmit={submit} aria-label={t('gate.title')} gap="xs">
        <TextInput
          label={t('gate.document')}
          size="lg"
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={documentNumber}
          onChange={(e) => setDocumentNumber(e.currentTarget.value)}
        />
        <Group align="flex-end" wrap="nowrap">
          <IssuingCountryField value={issuingCountry} onChange={setCountry} />
          <Button type="submit" size="lg" loading={loading} style={{ flexGrow: 1 }}>
            {t('gate.check')}
          </Button>
        </Group>
      </Stack>
      <div role="status" aria-live="polite">
        {answer && (
          <Paper p="lg" bg={LOOK[answer].bg} c={LOOK[answer].c} data-testid="gate-answer">
            <Text fz={32} fw={800} lh={1.1}>
              {t(`gate.answer.${answer}`)}
            </Text>
            {result && (
              <Text fz="lg">
                {[
                  result.status === 'CLEARED' ? null : t(`enums.vettingStatus.${result.status}`),
                  t(`enums.vettingLevel.${result.level}`),
                  result.validUntil ? t('vetting.validUntil', { date: day(result.validUntil) }) : null,
                  t('vetting.vettedBy', { organisation: result.vettingAuthority.name }),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            )}
            {answer === 'UNKNOWN' && <Text fz="lg">{t('gate.unknownHelp')}</Text>}
          </Paper>
        )}
      </div>
      {!notFound && <ErrorNotice error={error} />}
    </Stack>
  );
}
