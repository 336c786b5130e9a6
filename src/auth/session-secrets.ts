import { Injectable } from '@nestjs/common';

/** A password login or signup, within the request that opened the session. */
export interface PasswordSession {
  userId: string;
  organisationId: string | null;
  sessionId: string;
  password: string;
}

export interface SessionSecretHolder {
  /** The password is known only now: derive what needs it. */
  opened(session: PasswordSession): Promise<void>;
  ended(sessionIds: string[]): void;
}

/**
 * Lets a domain keep secrets for the life of a session that only the user's password unlocks (case
 * handlers' keys, see whistleblowing/case-keyring.service.ts) without auth knowing what they are.
 */
@Injectable()
export class SessionSecrets {
  private readonly holders: SessionSecretHolder[] = [];

  register(holder: SessionSecretHolder): void {
    this.holders.push(holder);
  }

  async opened(session: PasswordSession): Promise<void> {
    for (const holder of this.holders) await holder.opened(session);
  }

  ended(sessionIds: string[]): void {
    for (const holder of this.holders) holder.ended(sessionIds);
  }
}
