import type { Actor } from '../../src/common/actor';
import { DatabaseService } from '../../src/database/database.service';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { TestApp } from './test-app';

/** An actor as a request carries it once authenticated (its session is not looked up by raw SQL). */
export function actingAs(
  userId: string,
  org: { id: string; type: string; ports: string[] },
  role: MemberRole = MemberRole.MEMBER,
): Actor {
  return {
    userId,
    sessionId: '00000000-0000-4000-8000-000000000000',
    isPlatformAdmin: false,
    hasSecondFactor: false,
    organisationId: org.id,
    role,
    organisationType: org.type as OrganisationType,
    organisationPorts: org.ports,
  };
}

/** Raw SQL in a request transaction acting as `actor`: no CASL, no resolver, only row-level security. */
export function rawAs<T>(t: TestApp, actor: Actor | undefined, sql: string, params: unknown[] = []): Promise<T[]> {
  const db = t.app.get(DatabaseService);
  return db.withRequest({ actor }, async () => (await db.em()).query<T[]>(sql, params));
}
