import { Modal } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Mantine's modal as every dialog of the console opens it. */
export function Dialog({
  opened,
  onClose,
  title,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    // No scroll lock: it injects a <style> element without the page's nonce, which the CSP refuses.
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      lockScroll={false}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {children}
    </Modal>
  );
}
