import { Button, type ButtonProps, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from './ConfirmButton';

export interface Column<Row> {
  /** Its heading; a table whose columns have none has no heading row (a list of fields and values). */
  header?: string;
  cell: (row: Row) => ReactNode;
}

/** A button on each row, in the last column (named for screen readers, not shown). */
export interface RowAction<Row> {
  label: string;
  /** The rows it is offered on; every row without it. */
  when?: (row: Row) => boolean;
  /** What it will do to this row: the button asks first, saying so (ConfirmButton), and acts once confirmed. */
  effect?: (row: Row) => string;
  /** The confirming dialog's title; the label without it. */
  title?: string;
  /** Its name for screen readers where the label alone does not say which row ("Retry Alice"). */
  name?: (row: Row) => string;
  /** A button that shows or hides something of the row: whether it is shown now. */
  pressed?: (row: Row) => boolean;
  color?: ButtonProps['color'];
  run?: (row: Row) => unknown;
  /** An action that brings its own button and dialog, instead of `run`. */
  element?: (row: Row) => ReactNode;
}

/**
 * A table of rows: columns and row actions as data, scrolling sideways below `minWidth` on a narrow
 * screen, and a sentence instead when there are no rows.
 */
export function DataTable<Row>({
  rows,
  rowKey,
  columns,
  actions = [],
  label,
  testId,
  minWidth,
  empty,
}: {
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  columns: Column<Row>[];
  actions?: RowAction<Row>[];
  /** The table's name for screen readers, where the heading above it does not name it. */
  label?: string;
  testId?: string;
  minWidth?: number;
  empty?: string;
}) {
  const { t } = useTranslation();
  if (!rows.length) return empty ? <Text c="dimmed">{empty}</Text> : null;
  const table = (
    <Table aria-label={label} data-testid={testId}>
      {columns.some((c) => c.header) && (
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i}>{c.header}</Table.Th>
            ))}
            {actions.length > 0 && (
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
      )}
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {columns.map((c, i) => (
              <Table.Td key={i}>{c.cell(row)}</Table.Td>
            ))}
            {actions.length > 0 && (
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {actions
                    .filter((a) => a.when?.(row) ?? true)
                    .map((a) => (
                      <ActionButton key={a.label} action={a} row={row} />
                    ))}
                </Group>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return minWidth ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table;
}

function ActionButton<Row>({ action, row }: { action: RowAction<Row>; row: Row }) {
  const name = action.name?.(row);
  if (action.element) return action.element(row);
  if (action.effect)
    return (
      <ConfirmButton
        label={action.label}
        aria-label={name}
        title={action.title ?? action.label}
        effect={action.effect(row)}
        confirm={action.label}
        color={action.color}
        onConfirm={async () => action.run?.(row)}
      />
    );
  return (
    <Button
      size="xs"
      variant="default"
      color={action.color}
      aria-label={name}
      aria-pressed={action.pressed?.(row)}
      // A failed mutation shows through its own error state on the page.
      onClick={() => void Promise.resolve(action.run?.(row)).catch(() => undefined)}
    >
      {action.label}
    </Button>
  );
}
