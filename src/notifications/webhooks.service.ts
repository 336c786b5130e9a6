import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../common/actor';
import { atCap, badInput, notFound } from '../common/errors';
import { SecretBox } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { AlertFilterInput } from '../subscriptions/dto/alert-subscription.inputs';
import { WebhookDeliveriesArgs, WebhookInput, WebhookSecret } from './dto/webhook.types';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { secretContext, WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Webhooks, as organisation admins manage them: register an HTTPS endpoint (public addresses only,
 * unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES), with a marking cap and an alert filter, and get its signing
 * secret once; rotate the secret, delete the webhook, see its deliveries and send a failed one again.
 */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly webhooks: WebhooksRepository,
    private readonly delivery: WebhookDeliveryService,
    private readonly abilities: AbilityFactory,
  ) {
    this.box = new SecretBox(config.encryptionKeys);
  }

  async list(actor: Actor): Promise<Webhook[]> {
    await this.adminOf(actor, 'read');
    return this.webhooks.list();
  }

  async create(actor: Actor, input: WebhookInput): Promise<WebhookSecret> {
    const org = await this.adminOf(actor, 'create');
    const cap = this.config.WEBHOOKS_PER_ORGANISATION;
    if ((await this.webhooks.live(org)) >= cap) throw atCap('webhooks', cap);
    const id = randomUUID();
    const { secret, ...sealed } = this.newSecret(id);
    const filter = input.filter ?? new AlertFilterInput();
    const webhook = await this.webhooks.create({
      id,
      organisationId: org,
      name: input.name.trim(),
      url: this.endpoint(input.url),
      maxTlp: input.maxTlp,
      categories: filter.categories,
      minSeverity: filter.minSeverity ?? null,
      ports: filter.ports,
      organisationTypes: filter.organisationTypes,
      authorOrganisationIds: filter.authorOrganisationIds,
      createdBy: actor.userId,
      ...sealed,
    });
    return { webhook, secret };
  }

  /** A new secret; deliveries are signed with it from now on (retries of earlier ones too). */
  async rotate(actor: Actor, id: string): Promise<WebhookSecret> {
    await this.adminOf(actor, 'update');
    const { secret, ...sealed } = this.newSecret(id);
    const webhook = await this.webhooks.rotate(id, sealed);
    if (!webhook) throw notFound('Webhook');
    return { webhook, secret };
  }

  /** A disabled webhook gets alerts again; its FAILED deliveries can then be sent again one by one. */
  async enable(actor: Actor, id: string): Promise<Webhook> {
    await this.adminOf(actor, 'update');
    const webhook = await this.webhooks.enable(id);
    if (!webhook) throw notFound('Webhook');
    return webhook;
  }

  /** Nothing more is delivered, pending retries included; the deliveries stay listed. */
  async delete(actor: Actor, id: string): Promise<Webhook> {
    await this.adminOf(actor, 'delete');
    const webhook = await this.webhooks.delete(id);
    if (!webhook) throw notFound('Webhook');
    return webhook;
  }

  async deliveries(actor: Actor, args: WebhookDeliveriesArgs): Promise<WebhookDelivery[]> {
    await this.adminOf(actor, 'read');
    if (!(await this.webhooks.get(args.webhookId))) throw notFound('Webhook');
    return this.webhooks.deliveries(args.webhookId, args.status, args.first);
  }

  /** A FAILED delivery goes out again (decided again: a bulletin no longer shared is skipped). */
  async retry(actor: Actor, id: string): Promise<WebhookDelivery> {
    const org = await this.adminOf(actor, 'update');
    const delivery = await this.webhooks.retry(id);
    if (!delivery) throw notFound('Failed webhook delivery');
    await this.delivery.enqueue(await this.db.em(), [{ deliveryId: delivery.id, organisationId: org }]);
    return delivery;
  }

  /** `whsec_` + 256 random bits (Standard Webhooks), sealed at rest under this webhook's id. */
  private newSecret(id: string) {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    return { secret, secretSealed: this.box.seal(secret, secretContext(id)), secretHint: secret.slice(-4) };
  }

  /** An absolute https:// URL without credentials, not naming a private or reserved address. */
  private endpoint(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw badInput('url must be an absolute https:// URL', 'url');
    }
    if (parsed.protocol !== 'https:')
      throw badInput('Webhooks are delivered over HTTPS only: use an https:// URL', 'url');
    if (parsed.username || parsed.password)
      throw badInput('Put no credentials in the url: every delivery is signed instead', 'url');
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const internal = host === 'localhost' || host.endsWith('.localhost') || reservedAddress(host);
    if (internal && !this.config.WEBHOOK_ALLOW_PRIVATE_ADDRESSES)
      throw badInput('The url names a private or reserved address, which the platform does not call', 'url');
    return parsed.toString();
  }

  private adminOf(actor: Actor, action: 'create' | 'read' | 'update' | 'delete'): Promise<string> {
    return this.abilities.organisationFor(actor, action, 'Webhook', 'Only organisation admins manage webhooks');
  }
}

/**
 * An IP address that is not plainly public: private, loopback or reserved, in any of its forms (an
 * IPv4-mapped address counts as its IPv4 one; an IPv4-compatible one, ::a.b.c.d, deprecated, always).
 */
function reservedAddress(host: string): boolean {
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  if (address.range() !== 'unicast') return true;
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0);
}
