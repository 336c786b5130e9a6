import { useMutation } from '@apollo/client/react';
import { Alert, Button, Code, Image, Stack, Text, Title } from '@mantine/core';
import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmTotpDocument, EnrolTotpDocument } from '../gql/graphql';
import { describe, ErrorNotice } from './ErrorNotice';
import { TotpInput } from './TotpInput';

/**
 * An authenticator app for the signed-in account: the step after accepting an invitation, and the
 * first thing a platform administrator without one meets (no desk opens for them before it).
 */
export function TotpEnrolment({ intro, onDone }: { intro?: string; onDone: () => unknown }) {
  const { t } = useTranslation();
  const [enrol, enrolment] = useMutation(EnrolTotpDocument);
  const [confirm, confirmation] = useMutation(ConfirmTotpDocument);
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState('');
  useEffect(() => {
    void enrol()
      .then((r) => r.data && toDataURL(r.data.enrolTotp.otpauthUrl, { margin: 1, width: 200 }).then(setQr))
      .catch(() => undefined);
  }, [enrol]);
  const secret = enrolment.data?.enrolTotp.secret;
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('invitation.totpTitle')}
      </Title>
      {intro && <Text size="sm">{intro}</Text>}
      <Text size="sm">{t('invitation.totpHelp')}</Text>
      <ErrorNotice error={enrolment.error} />
      {qr && <Image src={qr} alt={t('invitation.qrAlt')} className="qr" />}
      {secret && (
        <Text size="sm">
          {t('invitation.secret')} <Code data-testid="totp-secret">{secret}</Code>
        </Text>
      )}
      <TotpInput value={code} onChange={setCode} />
      {confirmation.error && (
        <Alert color="red" role="alert">
          {describe(confirmation.error).code === 'BAD_USER_INPUT' ? t('invitation.codeWrong') : t('errors.INTERNAL')}
        </Alert>
      )}
      <Button
        disabled={code.length !== 6}
        loading={confirmation.loading}
        onClick={() =>
          void confirm({ variables: { code } })
            .then(onDone)
            .catch(() => undefined)
        }
      >
        {t('invitation.confirm')}
      </Button>
    </Stack>
  );
}
