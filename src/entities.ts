import { migrations } from '../migrations';
import { AUDIT_TRAIL_ENTITIES } from './audit-trail/audit-trail.module';
import { AUDIT_ENTITIES } from './audit/audit.module';
import { AUTH_ENTITIES } from './auth/auth.module';
import { DATABASE_ENTITIES } from './database/database.module';
import { BULLETINS_ENTITIES } from './bulletins/bulletins.module';
import { CORRELATION_ENTITIES } from './correlation/correlation.module';
import { DATA_PROTECTION_ENTITIES } from './data-protection/data-protection.module';
import type { DataModel } from './database/data-source';
import { FEDERATION_ENTITIES } from './federation/federation.module';
import { IDENTITY_ENTITIES } from './identity/identity.module';
import { INTEROP_ENTITIES } from './interop/interop.module';
import { NOTIFICATIONS_ENTITIES } from './notifications/notifications.module';
import { OPERATIONS_ENTITIES } from './operations/operations.module';
import { ORGANISATIONS_ENTITIES } from './organisations/organisations.module';
import { SHARING_ENTITIES } from './sharing/sharing.module';
import { SUBSCRIPTIONS_ENTITIES } from './subscriptions/subscriptions.module';
import { VETTING_ENTITIES } from './vetting/vetting.module';
import { WHISTLEBLOWING_ENTITIES } from './whistleblowing/whistleblowing.module';

/**
 * Every table the code reads has an entity, listed by the module that owns it (test/schema.e2e-spec.ts
 * compares them with the migrated database), and the migrations that build them.
 */
export const dataModel: DataModel = {
  entities: [
    ...DATABASE_ENTITIES,
    ...ORGANISATIONS_ENTITIES,
    ...AUTH_ENTITIES,
    ...IDENTITY_ENTITIES,
    ...SHARING_ENTITIES,
    ...AUDIT_ENTITIES,
    ...AUDIT_TRAIL_ENTITIES,
    ...BULLETINS_ENTITIES,
    ...CORRELATION_ENTITIES,
    ...SUBSCRIPTIONS_ENTITIES,
    ...NOTIFICATIONS_ENTITIES,
    ...VETTING_ENTITIES,
    ...WHISTLEBLOWING_ENTITIES,
    ...DATA_PROTECTION_ENTITIES,
    ...INTEROP_ENTITIES,
    ...FEDERATION_ENTITIES,
    ...OPERATIONS_ENTITIES,
  ],
  migrations,
};
