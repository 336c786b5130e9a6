import { MemberRole } from '../common/organisation-type';
import type { IdentityProvider } from './identity-provider.entity';

/**
 * The role a provider's claims give, when the provider maps roles (`roleClaim` set): ORG_ADMIN or
 * ANALYST only by an explicit value, MEMBER otherwise. Null when roles are set on the Members desk.
 */
export function roleFromClaims(
  provider: Pick<IdentityProvider, 'roleClaim' | 'adminValues' | 'analystValues'>,
  claims: Record<string, unknown>,
): MemberRole | null {
  if (!provider.roleClaim) return null;
  const raw = claims[provider.roleClaim];
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  if (values.some((v) => provider.adminValues.includes(v))) return MemberRole.ORG_ADMIN;
  if (values.some((v) => provider.analystValues.includes(v))) return MemberRole.ANALYST;
  return MemberRole.MEMBER;
}
