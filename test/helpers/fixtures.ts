import type { Type } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateOrReject } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/actor';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { BulletinsService } from '../../src/bulletins/bulletins.service';
import { BulletinInput } from '../../src/bulletins/dto/bulletin.inputs';
import { AppError } from '../../src/common/errors';
import { DatabaseService } from '../../src/database/database.service';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { SharingRuleInput } from '../../src/sharing/dto/sharing.inputs';
import { SharingRule } from '../../src/sharing/sharing-rule.entity';
import { SharingRulesService } from '../../src/sharing/sharing-rules.service';
import { Tlp } from '../../src/common/tlp';
import { bulletinInput, uniqueContainerNumber } from './bulletins';
import { makeOrganisation, makeUser } from './factory';
import { actingAs } from './raw-sql';
import { TestApp } from './test-app';

export interface OrganisationFixture {
  id: string;
  type: OrganisationType;
  ports: string[];
}

/**
 * Builders for the service tier (test/services): real rows in the real database through the real
 * services, each call in a request of its own acting as the given actor, without HTTP, tokens or logins.
 */
export class Fixtures {
  constructor(readonly t: TestApp) {}

  service<T>(type: Type<T>): T {
    return this.t.app.get(type);
  }

  /** Runs `work` as one request of `actor`: its transaction, its row-level security identity, its ability. */
  as<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    return this.service(DatabaseService).withRequest({ actor }, work);
  }

  async newOrganisation(type = OrganisationType.TERMINAL_OPERATOR, ports = ['NLRTM']): Promise<OrganisationFixture> {
    return { id: await makeOrganisation(this.t, type, ports), type, ports };
  }

  /** A member of `organisation` acting for it, as a verified access token would make them. */
  async newMember(organisation: OrganisationFixture, role = MemberRole.ANALYST): Promise<Actor> {
    const { id } = await makeUser(this.t, organisation.id, role);
    return { ...actingAs(id, organisation, role), sessionId: randomUUID() };
  }

  async newPlatformAdmin(): Promise<Actor> {
    const { id } = await makeUser(this.t, null, MemberRole.MEMBER, { platformAdmin: true });
    const none = { organisationId: null, role: null, organisationType: null, organisationPorts: [] };
    return { userId: id, sessionId: randomUUID(), isPlatformAdmin: true, hasSecondFactor: true, ...none };
  }

  /** A bulletin of `author`'s organisation, published unless `draft`; `overrides` as in the GraphQL input. */
  async newBulletin(
    author: Actor,
    tlp: Tlp,
    overrides: Partial<Record<keyof BulletinInput, unknown>> = {},
    { draft = false } = {},
  ): Promise<Bulletin> {
    const bulletins = this.service(BulletinsService);
    const input = await parsed(
      BulletinInput,
      bulletinInput({ tlp, indicators: [{ type: 'CONTAINER_NUMBER', value: uniqueContainerNumber() }], ...overrides }),
    );
    const created = await this.as(author, () => bulletins.create(author, input));
    return draft ? created : this.as(author, () => bulletins.publish(author, created.id));
  }

  async newSharingRule(admin: Actor, input: Record<string, unknown>): Promise<SharingRule> {
    const rule = await parsed(SharingRuleInput, input);
    return this.as(admin, () => this.service(SharingRulesService).create(admin, rule));
  }
}

/** An input as the validation pipe hands it to a service: defaults applied, types converted, constraints met. */
export async function parsed<T extends object>(type: ClassConstructor<T>, plain: object): Promise<T> {
  const input = plainToInstance(type, plain);
  await validateOrReject(input, { whitelist: true, forbidUnknownValues: true });
  return input;
}

/** The error code a service call ends with ('OK' when it succeeds), as GraphQL would report it. */
export async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'OK';
  } catch (err) {
    if (err instanceof AppError) return String(err.extensions.code);
    throw err;
  }
}
