import { Injectable } from '@nestjs/common';
import type { ClaimedToken } from './auth.repository';

/** Asks the identity provider that began a session whether it still accepts the person. */
export interface ProviderRecheck {
  /**
   * False when the provider refused (the session is then ended); true when it accepts or when the
   * session is not due for asking. Called with no connection held: it waits on the provider.
   */
  stillAccepted(session: ClaimedToken): Promise<boolean>;
}

/**
 * Where the identity domain plugs in its check of federated sessions at refresh, without auth knowing
 * OpenID Connect (a session begun with a password has nothing to ask).
 */
@Injectable()
export class ProviderRechecks {
  private check?: ProviderRecheck;

  register(check: ProviderRecheck): void {
    this.check = check;
  }

  stillAccepted(session: ClaimedToken): Promise<boolean> {
    return this.check ? this.check.stillAccepted(session) : Promise.resolve(true);
  }
}
