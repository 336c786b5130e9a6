import { Alert } from '@mantine/core';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../session/session';

/** The stable code and the server's own words (which name the field and the fix). */
export function describe(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = first?.extensions?.code;
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: first?.message ?? '' };
  }
  return { code: 'UNAVAILABLE', message: error instanceof Error ? error.message : '' };
}

/** Codes whose server message is the same for everything (it says nothing the title does not). */
const GENERIC = new Set(['INTERNAL', 'UNAVAILABLE']);

/** The refusal in the person's language, with the server's own reason under it: it names the way forward. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const { code, message } = describe(error);
  return (
    <Alert color="red" role="alert" title={t(`errors.${code}`, { defaultValue: t('errors.INTERNAL') })}>
      {GENERIC.has(code) ? null : message}
    </Alert>
  );
}
