import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { Connection, PageArgs } from '../common/pagination';
import { AbilityFactory } from '../sharing/ability.factory';
import { DeliveryRepository } from './delivery.repository';
import { NotificationFailure } from './dto/notification-failure.types';

@Injectable()
export class NotificationFailuresService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly abilities: AbilityFactory,
  ) {}

  /** E-mails to the organisation's members that failed after their last retry, newest first. */
  async list(actor: Actor, args: PageArgs): Promise<Connection<NotificationFailure>> {
    const organisationId = await this.abilities.organisationFor(
      actor,
      'read',
      'NotificationDelivery',
      'Only organisation admins see failed notifications',
    );
    return this.deliveries.failures(organisationId, args.first, args.after);
  }
}
