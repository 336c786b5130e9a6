import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { IdArgs } from '../common/dto/id.inputs';
import { Checks } from '../common/checks';
import { alertFilterOf } from '../subscriptions/alert-filter';
import { AlertFilter } from '../subscriptions/alert-subscription.entity';
import { CreateWebhookArgs, WebhookDeliveriesArgs, WebhookSecret } from './dto/webhook.types';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhooksService } from './webhooks.service';

const WHO = 'Only organisation admins manage webhooks';

@Resolver(() => Webhook)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Checks('read', 'Webhook', WHO)
  @Query(() => [Webhook], { description: "Your organisation's webhooks, newest first (deleted ones too)." })
  webhooks(@CurrentActor() actor: Actor): Promise<Webhook[]> {
    return this.service.list(actor);
  }

  @Checks('read', 'Webhook', WHO)
  @Query(() => [WebhookDelivery], { description: "A webhook's latest deliveries, newest first: what failed and why." })
  webhookDeliveries(@CurrentActor() actor: Actor, @Args() args: WebhookDeliveriesArgs): Promise<WebhookDelivery[]> {
    return this.service.deliveries(actor, args);
  }

  @Checks('create', 'Webhook', WHO)
  @Mutation(() => WebhookSecret, { description: 'A new webhook and its signing secret, shown this once.' })
  createWebhook(@CurrentActor() actor: Actor, @Args() { input }: CreateWebhookArgs): Promise<WebhookSecret> {
    return this.service.create(actor, input);
  }

  @Checks('update', 'Webhook', WHO)
  @Mutation(() => WebhookSecret, {
    description: 'A new signing secret, shown this once; the old one signs nothing more.',
  })
  rotateWebhookSecret(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<WebhookSecret> {
    return this.service.rotate(actor, id);
  }

  @Checks('update', 'Webhook', WHO)
  @Mutation(() => Webhook, {
    description: 'A webhook disabled after repeated failures gets alerts again (fix its endpoint first).',
  })
  enableWebhook(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<Webhook> {
    return this.service.enable(actor, id);
  }

  @Checks('delete', 'Webhook', WHO)
  @Mutation(() => Webhook, { description: 'Nothing more is delivered, retries included; its deliveries stay listed.' })
  deleteWebhook(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<Webhook> {
    return this.service.delete(actor, id);
  }

  @Checks('update', 'Webhook', WHO)
  @Mutation(() => WebhookDelivery, { description: 'Sends a FAILED delivery again, if the bulletin is still shared.' })
  retryWebhookDelivery(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<WebhookDelivery> {
    return this.service.retry(actor, id);
  }

  @ResolveField(() => AlertFilter)
  filter(@Parent() w: Webhook): AlertFilter {
    return alertFilterOf(w);
  }
}
