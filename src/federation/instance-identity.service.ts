import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { KeyObject, sign } from 'node:crypto';
import { ed25519Key, publicKeyFingerprint, rawPublicKey } from '../common/ed25519';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';

/**
 * Who this instance is to its peers: the id the Federation migration made once, INSTANCE_NAME, and the
 * Ed25519 key of INSTANCE_SIGNING_KEY, whose public half peers are given out of band (they compare the
 * fingerprint). It signs our requests and every bulletin version we send.
 */
@Injectable()
export class InstanceIdentityService implements OnApplicationBootstrap {
  private readonly key: KeyObject;
  readonly publicKey: Buffer;
  readonly fingerprint: string;
  private instanceId: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {
    this.key = ed25519Key(config.instanceSigningKey);
    this.publicKey = rawPublicKey(this.key);
    this.fingerprint = publicKeyFingerprint(this.key);
  }

  async onApplicationBootstrap(): Promise<void> {
    const [row] = await this.db.dataSource.query<{ id: string }[]>(`SELECT id FROM federation_instance`);
    this.instanceId = row.id;
  }

  get id(): string {
    if (!this.instanceId) throw new Error('The instance id is read at start');
    return this.instanceId;
  }

  get name(): string {
    return this.config.INSTANCE_NAME;
  }

  sign(data: Buffer): Buffer {
    return sign(null, data, this.key);
  }
}
