import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { OrganisationType } from '../common/organisation-type';
import { Tlp } from '../common/tlp';
import { MachineClient } from './machine-client.entity';

/** A live client's credentials and organisation, as `machine_client_credentials` answers before anyone is authenticated. */
export interface ClientCredentials {
  organisation_id: string;
  key_hash: Buffer;
  max_tlp: Tlp;
  can_write: boolean;
  org_type: OrganisationType;
  org_ports: string[];
}

@Injectable()
export class MachineClientsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The client's credentials while it is live (not revoked, not expired, organisation active). */
  async credentials(id: string): Promise<ClientCredentials | undefined> {
    const [row] = await this.db.query<ClientCredentials[]>(`SELECT * FROM machine_client_credentials($1)`, [id]);
    return row;
  }

  /** In the transaction that records the use (never a connection of its own beside it). */
  async used(em: EntityManager, id: string): Promise<void> {
    await em.query(`SELECT machine_client_used($1)`, [id]);
  }

  /** The caller's organisation's clients (row-level security), newest first. */
  async list(): Promise<MachineClient[]> {
    return (await this.db.em()).find(MachineClient, { order: { createdAt: 'DESC' } });
  }

  /** The organisation's clients still live (not revoked, not expired), counted under its cap's lock. */
  async live(organisationId: string): Promise<number> {
    await this.db.lockOrganisation('machine-clients', organisationId);
    const [{ n }] = await (
      await this.db.em()
    ).query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM machine_clients WHERE organisation_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [organisationId],
    );
    return n;
  }

  async create(
    client: Omit<MachineClient, 'createdAt' | 'rotatedAt' | 'revokedAt' | 'lastUsedAt'>,
  ): Promise<MachineClient> {
    const em = await this.db.em();
    const { id } = await em.save(em.create(MachineClient, { ...client, createdAt: new Date() }));
    return em.findOneByOrFail(MachineClient, { id });
  }

  /** A new key for a client of the caller's organisation that is not revoked; undefined otherwise. */
  async rotate(
    id: string,
    key: Pick<MachineClient, 'keyHash' | 'keyHint' | 'expiresAt'>,
  ): Promise<MachineClient | undefined> {
    const em = await this.db.em();
    const { affected } = await em
      .createQueryBuilder()
      .update(MachineClient)
      .set({ ...key, rotatedAt: () => 'now()' })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return affected ? em.findOneByOrFail(MachineClient, { id }) : undefined;
  }

  async revoke(id: string): Promise<MachineClient | undefined> {
    const em = await this.db.em();
    await em
      .createQueryBuilder()
      .update(MachineClient)
      .set({ revokedAt: () => 'now()' })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return (await em.findOneBy(MachineClient, { id })) ?? undefined;
  }
}
