import { useApolloClient } from '@apollo/client/react';
import { Alert, Button, FileInput, Group, Progress, Stack, Text, Title } from '@mantine/core';
import Papa from 'papaparse';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CROSS_MATCH } from '../../../../src/shared/vetting-rules';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { saveFile, toCsv } from '../../format/files';
import { count } from '../../format/time';
import { CrossMatchDocument, type CrossMatchQuery, type VettingSubjectKeyInput } from '../../gql/graphql';
import { VettingStatusBadge } from './SubjectSummary';
import { useVettingDesk } from './useVettingDesk';
import { DataTable } from '../../components/DataTable';

const COLUMNS = ['documentNumber', 'issuingCountry'] as const;

type Hit = CrossMatchQuery['crossMatchSubjects'][number] & { subject: VettingSubjectKeyInput; line: number };

/** The file's subjects, or the lines that lack a column (named by their line in the file). */
function subjectsOf(rows: Record<string, string>[]): { subjects: VettingSubjectKeyInput[]; incomplete: number[] } {
  const subjects: VettingSubjectKeyInput[] = [];
  const incomplete: number[] = [];
  rows.forEach((row, i) => {
    const documentNumber = row.documentNumber?.trim() ?? '';
    const issuingCountry = row.issuingCountry?.trim().toUpperCase() ?? '';
    if (!documentNumber || !issuingCountry) incomplete.push(i + 2);
    else subjects.push({ documentNumber, issuingCountry });
  });
  return { subjects, incomplete };
}

/**
 * Police and other vetting authorities: a CSV of subjects against the others' adverse decisions.
 * The file is read in the page and sent in batches (the server's limit per question); the answer is
 * the hits and whom to contact, nothing else about other organisations' records.
 */
export default function CrossMatchPage() {
  const { t } = useTranslation();
  const desk = useVettingDesk();
  const client = useApolloClient();
  const { organisations } = useOrganisationDirectory();
  /** The authority and its contact point, as its admins keep it. */
  const contactOf = (id: string, name: string) => {
    const o = organisations.find((x) => x.id === id);
    return [name, o?.contactName, o?.contactEmail, o?.contactPhone].filter(Boolean).join(' · ');
  };
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!desk) return <Loading />;
  if (!desk.authority)
    return (
      <Alert color="red" role="alert" title={t('crossMatch.title')}>
        {t('vetting.authorityOnly')}
      </Alert>
    );

  const run = async (chosen: File) => {
    setHits(null);
    setProblem(null);
    setError(null);
    const parsed = await new Promise<Papa.ParseResult<Record<string, string>>>((complete, fail) =>
      Papa.parse<Record<string, string>>(chosen, { header: true, skipEmptyLines: 'greedy', complete, error: fail }),
    );
    const missing = COLUMNS.filter((c) => !parsed.meta.fields?.includes(c));
    if (missing.length) return setProblem(t('crossMatch.missingColumns', { columns: missing.join(', ') }));
    const { subjects, incomplete } = subjectsOf(parsed.data);
    if (incomplete.length) return setProblem(t('crossMatch.incomplete', { lines: incomplete.slice(0, 10).join(', ') }));
    if (!subjects.length) return setProblem(t('crossMatch.empty'));
    const found: Hit[] = [];
    setProgress({ done: 0, total: subjects.length });
    for (let start = 0; start < subjects.length; start += MAX_CROSS_MATCH) {
      const batch = subjects.slice(start, start + MAX_CROSS_MATCH);
      const { data } = await client.query({
        query: CrossMatchDocument,
        variables: { subjects: batch },
        fetchPolicy: 'no-cache',
      });
      for (const hit of data?.crossMatchSubjects ?? [])
        found.push({ ...hit, subject: batch[hit.index], line: start + hit.index + 2 });
      setProgress({ done: start + batch.length, total: subjects.length });
    }
    setHits(found.sort((a, b) => a.line - b.line));
  };

  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('crossMatch.title')}
      </Title>
      <Text>{t('crossMatch.help', { max: count(MAX_CROSS_MATCH) })}</Text>
      <Group align="flex-end">
        <FileInput label={t('crossMatch.file')} accept=".csv,text/csv" w={320} value={file} onChange={setFile} />
        <Button
          disabled={!file || (progress !== null && progress.done < progress.total)}
          onClick={() => file && void run(file).catch(setError)}
        >
          {t('crossMatch.run')}
        </Button>
        <Button variant="default" onClick={() => saveFile(toCsv([COLUMNS]), 'cross-match-template.csv')}>
          {t('crossMatch.template')}
        </Button>
      </Group>
      {problem && (
        <Alert color="red" role="alert" title={t('crossMatch.fileProblem')}>
          {problem}
        </Alert>
      )}
      <ErrorNotice error={error} />
      {progress && (
        <Stack gap={4}>
          <Progress value={(100 * progress.done) / progress.total} aria-label={t('crossMatch.progress')} size="lg" />
          <Text size="sm" role="status">
            {t('crossMatch.checked', { done: count(progress.done), total: count(progress.total) })}
          </Text>
        </Stack>
      )}
      {hits && (
        <Stack gap="xs" component="section" aria-label={t('crossMatch.hits')}>
          <Title order={2} size="h4">
            {t('crossMatch.hitCount', { count: hits.length })}
          </Title>
          <DataTable
            rows={hits}
            rowKey={(h) => `${h.line}-${h.contactOrganisation.id}`}
            label={t('crossMatch.hits')}
            minWidth={560}
            columns={[
              { header: t('crossMatch.line'), cell: (h) => h.line },
              {
                header: t('vetting.documentNumber'),
                cell: (h) => `${h.subject.issuingCountry} ${h.subject.documentNumber}`,
              },
              { header: t('vetting.status'), cell: (h) => <VettingStatusBadge status={h.status} /> },
              {
                header: t('crossMatch.contact'),
                cell: (h) => contactOf(h.contactOrganisation.id, h.contactOrganisation.name),
              },
            ]}
          />
        </Stack>
      )}
    </Stack>
  );
}
