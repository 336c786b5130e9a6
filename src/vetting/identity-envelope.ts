import { randomBytes } from 'node:crypto';
import { SecretBox } from '../common/secret-box';

export interface SubjectIdentity {
  documentNumber: string;
  issuingCountry: string;
  fullName: string;
  dateOfBirth: string;
}

interface SealedIdentity {
  /** The record's data key, sealed under the master key (ENCRYPTION_KEY). */
  dataKey: string;
  /** The identity, sealed under the data key. */
  identity: string;
}

/**
 * Envelope encryption of a vetting subject's identity: a fresh 256-bit data key per record seals the
 * identity and the record's notes (AES-256-GCM); only the data key is sealed under the master key,
 * so rotating the master key rewraps one short value per record. Contexts bind each value to its record.
 */
export class IdentityEnvelope {
  private readonly master: SecretBox;

  /** ENCRYPTION_KEY and those a rotation replaced, current first. */
  constructor(masterKeys: readonly Buffer[]) {
    this.master = new SecretBox(masterKeys);
  }

  seal(recordId: string, identity: SubjectIdentity): { sealed: SealedIdentity; box: SecretBox } {
    const dataKey = randomBytes(32);
    const box = new SecretBox(dataKey);
    return {
      sealed: {
        dataKey: this.master.seal(dataKey.toString('base64'), dataKeyContext(recordId)),
        identity: box.seal(JSON.stringify(identity), `vetting:${recordId}:identity`),
      },
      box,
    };
  }

  /** The record's data-key box, to open its identity and notes. */
  boxFor(recordId: string, sealedDataKey: string): SecretBox {
    return new SecretBox(Buffer.from(this.master.open(sealedDataKey, dataKeyContext(recordId)), 'base64'));
  }

  openIdentity(recordId: string, sealed: SealedIdentity): SubjectIdentity {
    return JSON.parse(
      this.boxFor(recordId, sealed.dataKey).open(sealed.identity, `vetting:${recordId}:identity`),
    ) as SubjectIdentity;
  }
}

/** The context of a record's data key, sealed under the master key. */
export const dataKeyContext = (recordId: string) => `vetting:${recordId}:key`;

export const noteContext = (recordId: string, changeId: string) => `vetting:${recordId}:note:${changeId}`;
