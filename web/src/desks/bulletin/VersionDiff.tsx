import { Select, Stack, Text } from '@mantine/core';
import { diffWords } from 'diff';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dateTime } from '../../format/time';
import type { VersionFieldsFragment } from '../../gql/graphql';
import { DataTable } from '../../components/DataTable';

function Words({ before, after }: { before: string; after: string }) {
  return (
    <span className="prose">
      {diffWords(before, after).map((part, i) =>
        part.added ? (
          <ins key={i} className="diff">
            {part.value}
          </ins>
        ) : part.removed ? (
          <del key={i} className="diff">
            {part.value}
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </span>
  );
}

type Indicator = VersionFieldsFragment['indicators'][number];
const key = (i: Indicator) => `${i.type}\u0000${i.value}`;
/** The indicators of `v` that `other` does not have. */
const missingFrom = (v: VersionFieldsFragment, other: VersionFieldsFragment) => {
  const theirs = new Set(other.indicators.map(key));
  return v.indicators.filter((i) => !theirs.has(key(i)));
};

/** What changed between two versions, field by field: text word by word, indicators as added and removed. */
export function VersionDiff({ versions }: { versions: VersionFieldsFragment[] }) {
  const { t } = useTranslation();
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const latest = sorted[sorted.length - 1];
  const [from, setFrom] = useState(String(sorted[Math.max(0, sorted.length - 2)].version));
  const [to, setTo] = useState(String(latest.version));
  const a = sorted.find((v) => String(v.version) === from) ?? sorted[0];
  const b = sorted.find((v) => String(v.version) === to) ?? latest;
  const choices = sorted.map((v) => ({
    value: String(v.version),
    label: t('bulletin.versionLabel', { version: v.version, date: dateTime(v.publishedAt) }),
  }));
  const text = (['title', 'summary', 'body'] as const).filter((f) => a[f] !== b[f]);
  const plain = (['tlp', 'severity', 'urgency', 'certainty', 'category'] as const).filter((f) => a[f] !== b[f]);
  const added = missingFrom(b, a);
  const removed = missingFrom(a, b);
  // People read the type in their language, never the enum's name.
  const shown = (i: Indicator) => `${t(`enums.indicatorType.${i.type}`)}: ${i.value}`;
  const portsChanged = a.ports.join() !== b.ports.join();
  const unchanged = !text.length && !plain.length && !added.length && !removed.length && !portsChanged;
  return (
    <Stack>
      <DataTable
        rows={sorted}
        rowKey={(v) => String(v.version)}
        minWidth={320}
        columns={[
          { header: t('bulletin.version'), cell: (v) => v.version },
          { header: t('bulletin.publishedAt'), cell: (v) => dateTime(v.publishedAt, v.ports[0]) },
          { header: t('bulletin.changeNote'), cell: (v) => v.changeNote ?? '—' },
        ]}
      />
      {sorted.length > 1 && (
        <>
          <Stack gap="xs">
            <Select
              label={t('bulletin.compareFrom')}
              data={choices}
              value={from}
              onChange={(v) => v && setFrom(v)}
              allowDeselect={false}
            />
            <Select
              label={t('bulletin.compareTo')}
              data={choices}
              value={to}
              onChange={(v) => v && setTo(v)}
              allowDeselect={false}
            />
          </Stack>
          <dl data-testid="version-diff">
            {unchanged && <Text c="dimmed">{t('bulletin.noDifference')}</Text>}
            {text.map((f) => (
              <div key={f}>
                <dt>
                  <Text fw={600}>{t(`bulletin.fields.${f}`)}</Text>
                </dt>
                <dd>
                  <Words before={a[f]} after={b[f]} />
                </dd>
              </div>
            ))}
            {plain.map((f) => (
              <div key={f}>
                <dt>
                  <Text fw={600}>{t(`bulletin.fields.${f}`)}</Text>
                </dt>
                <dd>
                  <del className="diff">{t(`enums.${f}.${a[f]}`)}</del> →{' '}
                  <ins className="diff">{t(`enums.${f}.${b[f]}`)}</ins>
                </dd>
              </div>
            ))}
            {portsChanged && (
              <div>
                <dt>
                  <Text fw={600}>{t('bulletin.fields.ports')}</Text>
                </dt>
                <dd>
                  <Words before={a.ports.join(', ')} after={b.ports.join(', ')} />
                </dd>
              </div>
            )}
            {(added.length > 0 || removed.length > 0) && (
              <div>
                <dt>
                  <Text fw={600}>{t('bulletin.indicators')}</Text>
                </dt>
                <dd>
                  {added.map((i) => (
                    <div key={key(i)}>
                      <ins className="diff">+ {shown(i)}</ins>
                    </div>
                  ))}
                  {removed.map((i) => (
                    <div key={key(i)}>
                      <del className="diff">− {shown(i)}</del>
                    </div>
                  ))}
                </dd>
              </div>
            )}
          </dl>
        </>
      )}
    </Stack>
  );
}
