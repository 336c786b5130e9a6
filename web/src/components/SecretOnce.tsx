import { Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';

/** A secret (an API key, a signing secret), this once: copied to the other system, never shown again. */
export function SecretOnce({
  secret,
  title,
  explanation,
  onClose,
}: {
  secret: string | null;
  title: string;
  explanation: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog opened={!!secret} onClose={onClose} title={title}>
      <Stack>
        <Text size="sm">{explanation}</Text>
        {/* Wrapped, not scrolled: the whole secret stays in view and needs no scrolling by keyboard. */}
        <Code block data-testid="secret-once" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {secret}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t('bulletin.copied') : t('bulletin.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t('machineClients.stored')}</Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
