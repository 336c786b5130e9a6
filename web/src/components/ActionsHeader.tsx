import { Table, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The heading of a table's column of buttons: named for screen readers, not shown. */
export function ActionsHeader() {
  const { t } = useTranslation();
  return (
    <Table.Th>
      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
    </Table.Th>
  );
}
