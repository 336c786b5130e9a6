import { Button, type ButtonProps, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { ErrorNotice } from './ErrorNotice';

/**
 * An action whose effect is stated before it is done: the button opens a dialog saying what will
 * happen, and only its confirm button acts. `children` may add fields (a reason) to the dialog.
 */
export function ConfirmButton({
  label,
  title,
  effect,
  confirm,
  onConfirm,
  disabled,
  children,
  ...button
}: {
  label: string;
  title: string;
  effect: string;
  confirm: string;
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
  children?: React.ReactNode;
} & ButtonProps) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = () => {
    setBusy(true);
    setError(null);
    onConfirm()
      .then(close, setError)
      .finally(() => setBusy(false));
  };
  return (
    <>
      <Button size="xs" variant="default" onClick={open} {...button}>
        {label}
      </Button>
      <Dialog opened={opened} onClose={close} title={title}>
        <Stack>
          <Text>{effect}</Text>
          {children}
          <ErrorNotice error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" loading={busy} disabled={disabled} onClick={act}>
              {confirm}
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </>
  );
}
