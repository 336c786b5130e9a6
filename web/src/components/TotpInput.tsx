import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** An authenticator code: digits only, six at most, offered by the phone's one-time-code autofill. */
export function TotpInput({
  value,
  onChange,
  description,
  ...rest
}: {
  value: string;
  onChange: (code: string) => void;
  description?: string;
  autoFocus?: boolean;
  required?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('login.totp')}
      description={description}
      inputMode="numeric"
      autoComplete="one-time-code"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      {...rest}
    />
  );
}
