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

const indicatorKeys = (v: VersionFieldsFragment) => v.indicators.map((i) => `${i.type}: ${i.value}`);

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
  const added = indicatorKeys(b).filter((k) => !indicatorKeys(a).includes(k));
  const removed = indicatorKeys(a).filter((k) => !indicatorKeys(b).includes(k));
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
                  {added.map((k) => (
                    <div key={k}>
                      <ins className="diff">+ {k}</ins>
                    </div>
                  ))}
                  {removed.map((k) => (
                    <div key={k}>
                      <del className="diff">− {k}</del>
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
