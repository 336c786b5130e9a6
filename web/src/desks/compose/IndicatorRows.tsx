import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type IndicatorProblem, IndicatorType, normaliseIndicator } from '../../../../src/shared/indicator-rules';
import { INDICATOR_TYPES, options } from '../../format/enums';

export interface IndicatorRow {
  type: IndicatorType;
  value: string;
}

/** The server's own rules, run as the analyst types: a blank row is ignored, any other must pass. */
export function checkRow(row: IndicatorRow): IndicatorProblem | null {
  if (!row.value.trim()) return null;
  const result = normaliseIndicator(row.type, row.value);
  return result.ok ? null : result.problem;
}

function ProblemText({ problem }: { problem: IndicatorProblem }) {
  const { t } = useTranslation();
  if (problem.kind === 'format') return <>{t(`compose.indicatorFormat.${problem.type}`)}</>;
  return <>{t('compose.checkDigit', { ...problem })}</>;
}

/** One line per indicator: its type, its value, and what is wrong with it while it is typed. */
export function IndicatorRows({ rows, onChange }: { rows: IndicatorRow[]; onChange: (rows: IndicatorRow[]) => void }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<IndicatorRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = () =>
    onChange([...rows, { type: rows[rows.length - 1]?.type ?? IndicatorType.CONTAINER_NUMBER, value: '' }]);
  return (
    <Stack gap="xs" role="group" aria-label={t('compose.indicators')}>
      <Text fw={500} size="sm">
        {t('compose.indicators')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('compose.indicatorsHelp')}
      </Text>
      {rows.map((row, i) => {
        const problem = checkRow(row);
        return (
          <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
            <Select
              aria-label={t('compose.indicatorType', { n: i + 1 })}
              w={170}
              data={options(t, 'indicatorType', INDICATOR_TYPES)}
              value={row.type}
              allowDeselect={false}
              onChange={(v) => v && update(i, { type: v as IndicatorType })}
            />
            <TextInput
              aria-label={t('compose.indicatorValue', { n: i + 1 })}
              style={{ flex: 1 }}
              ff="monospace"
              value={row.value}
              error={problem ? <ProblemText problem={problem} /> : undefined}
              onChange={(e) => update(i, { value: e.currentTarget.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              aria-label={t('compose.removeIndicator', { n: i + 1 })}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            >
              ×
            </ActionIcon>
          </Group>
        );
      })}
      <Button variant="default" size="xs" onClick={add} w="fit-content">
        {t('compose.addIndicator')}
      </Button>
    </Stack>
  );
}
