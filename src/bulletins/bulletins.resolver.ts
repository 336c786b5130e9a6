import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { Bulletin } from './bulletin.entity';
import { BulletinIndicator } from './bulletin-indicator.entity';
import { BulletinAccessService } from './bulletin-access.service';
import { BulletinStatus } from './bulletin-enums';
import { BulletinQueriesService } from './bulletin-queries.service';
import { effectiveStatus } from './bulletin-visibility';
import { BulletinsService } from './bulletins.service';
import {
  AcknowledgeBulletinArgs,
  BulletinIdsArgs,
  BulletinIdArgs,
  OpenBulletinArgs,
  BulletinsArgs,
  RecipientDirectoryArgs,
  CreateBulletinArgs,
  RetractBulletinArgs,
  ReviseBulletinArgs,
  SearchIndicatorsArgs,
  UpdateDraftArgs,
} from './dto/bulletin.inputs';
import {
  Access,
  AccessUser,
  Acknowledgement,
  AudiencePreview,
  BulletinConnection,
  BulletinVersion,
  IndicatorHit,
} from './dto/bulletin.types';
import { Checks, ChecksEach } from '../common/checks';
import { Tlp } from '../common/tlp';

@Resolver(() => Bulletin)
export class BulletinsResolver {
  constructor(
    private readonly lifecycle: BulletinsService,
    private readonly queries: BulletinQueriesService,
    private readonly access: BulletinAccessService,
  ) {}

  @Checks('create', 'Bulletin', 'Only analysts and organisation admins write bulletins')
  @Mutation(() => Bulletin, { description: 'A new draft, visible to the author organisation only (analysts, admins).' })
  createBulletin(@CurrentActor() actor: Actor, @Args() { input }: CreateBulletinArgs): Promise<Bulletin> {
    return this.lifecycle.create(actor, input);
  }

  @ChecksEach('update', 'Bulletin', 'Only analysts and organisation admins write bulletins')
  @Mutation(() => Bulletin)
  updateDraft(@CurrentActor() actor: Actor, @Args() { id, input }: UpdateDraftArgs): Promise<Bulletin> {
    return this.lifecycle.updateDraft(actor, id, input);
  }

  @ChecksEach('publish', 'Bulletin', 'Only analysts and organisation admins publish bulletins')
  @Mutation(() => Bulletin)
  publishBulletin(@CurrentActor() actor: Actor, @Args() { id }: BulletinIdArgs): Promise<Bulletin> {
    return this.lifecycle.publish(actor, id);
  }

  @ChecksEach('revise', 'Bulletin', 'Only analysts and organisation admins revise bulletins')
  @Mutation(() => Bulletin, { description: 'Publishes a new version; every version stays readable.' })
  reviseBulletin(
    @CurrentActor() actor: Actor,
    @Args() { id, input, changeNote }: ReviseBulletinArgs,
  ): Promise<Bulletin> {
    return this.lifecycle.revise(actor, id, input, changeNote);
  }

  @ChecksEach('retract', 'Bulletin', 'Only analysts and organisation admins retract bulletins')
  @Mutation(() => Bulletin)
  retractBulletin(@CurrentActor() actor: Actor, @Args() { id, reason }: RetractBulletinArgs): Promise<Bulletin> {
    return this.lifecycle.retract(actor, id, reason);
  }

  @ChecksEach('acknowledge', 'Bulletin', 'Members of a recipient organisation acknowledge a bulletin')
  @Mutation(() => Bulletin, { description: 'Once per recipient organisation.' })
  acknowledgeBulletin(@CurrentActor() actor: Actor, @Args() { id, note }: AcknowledgeBulletinArgs): Promise<Bulletin> {
    return this.lifecycle.acknowledge(actor, id, note);
  }

  @ChecksEach('acknowledge', 'Bulletin', 'Members of a recipient organisation acknowledge a bulletin')
  @Mutation(() => [Bulletin], {
    description:
      'Acknowledges for your organisation each of up to 50 bulletins it may and has not yet; returns those acknowledged now. NOT_FOUND, and nothing done, when one is not yours to see.',
  })
  acknowledgeBulletins(@CurrentActor() actor: Actor, @Args() { ids }: BulletinIdsArgs): Promise<Bulletin[]> {
    return this.lifecycle.acknowledgeEach(actor, ids);
  }

  @ChecksEach('read', 'Bulletin', 'Members of an organisation read bulletins')
  @Mutation(() => [Bulletin], {
    description:
      'Marks up to 50 bulletins read at their current version, as opening them would. NOT_FOUND, and nothing done, when one is not yours to see.',
  })
  markBulletinsRead(@CurrentActor() actor: Actor, @Args() { ids }: BulletinIdsArgs): Promise<Bulletin[]> {
    return this.queries.markEachRead(actor, ids);
  }

  @ChecksEach('read', 'Bulletin', 'Members of an organisation read bulletins')
  @Query(() => Bulletin)
  async bulletin(@CurrentActor() actor: Actor, @Args() { id, justification }: OpenBulletinArgs): Promise<Bulletin> {
    const bulletin = await this.queries.read(actor, id, justification?.trim());
    await this.queries.markRead(actor, bulletin);
    return bulletin;
  }

  @ChecksEach('read', 'Bulletin', 'Members of an organisation read bulletins')
  @Query(() => BulletinConnection, { description: 'Bulletins the caller may see, newest first.' })
  bulletins(@CurrentActor() actor: Actor, @Args() args: BulletinsArgs): Promise<BulletinConnection> {
    return this.queries.list(actor, args);
  }

  @ChecksEach('read', 'Bulletin', 'Members of an organisation search bulletins')
  @Query(() => [IndicatorHit], { description: 'Bulletins the caller may see that mention this value (normalised).' })
  searchIndicators(@CurrentActor() actor: Actor, @Args() { value }: SearchIndicatorsArgs): Promise<IndicatorHit[]> {
    return this.queries.searchIndicators(actor, value);
  }

  @ChecksEach('explain', 'Bulletin', "Only the author organisation's analysts and admins see who can read a bulletin")
  @Query(() => [Access], {
    description:
      "Which organisations (or, for TLP:RED, users) can see the bulletin, and why. Author organisation's analysts and admins.",
  })
  whoCanSee(@CurrentActor() actor: Actor, @Args() { id }: BulletinIdArgs): Promise<Access[]> {
    return this.access.whoCanSee(actor, id);
  }

  @ChecksEach('explain', 'Bulletin', "Only the author organisation's analysts and admins see who can read a bulletin")
  @Query(() => AudiencePreview, {
    description:
      "Before publishing: who exactly will read the bulletin once published (organisations or, for TLP:RED, users, each with its people). Author organisation's analysts and admins.",
  })
  audiencePreview(@CurrentActor() actor: Actor, @Args() { id }: BulletinIdArgs): Promise<AudiencePreview> {
    return this.access.audiencePreview(actor, id);
  }

  @Checks('create', 'Bulletin', 'Only analysts and organisation admins name the recipients of a bulletin')
  @Query(() => [AccessUser], {
    description: 'Whom a TLP:RED bulletin can name in an organisation: its analysts and admins (names only). Audited.',
  })
  recipientDirectory(@Args() { organisationId }: RecipientDirectoryArgs): Promise<AccessUser[]> {
    return this.queries.recipientDirectory(organisationId);
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: 'The version you last opened (null: never): unread when null, revised since when below version',
  })
  readVersion(@Parent() b: Bulletin): Promise<number | null> {
    return this.queries.readVersion(b.id);
  }

  @ResolveField(() => BulletinStatus)
  status(@Parent() b: Bulletin): string {
    return effectiveStatus(b);
  }

  @ResolveField(() => OrganisationRef)
  authorOrganisation(@Parent() b: Bulletin): Promise<OrganisationRef> {
    return this.queries.authorOrganisation(b.authorOrganisationId);
  }

  @ResolveField(() => [BulletinIndicator])
  indicators(@Parent() b: Bulletin): Promise<BulletinIndicator[]> {
    return this.queries.indicators(b.id);
  }

  @ResolveField(() => [ID], {
    description:
      'Named recipient organisations; empty unless you are the author organisation or the author shows recipients',
  })
  async recipientOrganisationIds(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<string[]> {
    return (await this.queries.showsRecipients(actor, b)) ? b.recipientOrganisationIds : [];
  }

  @ResolveField(() => [OrganisationRef], {
    description:
      'Named recipient organisations by name; empty unless you are the author organisation or the author shows recipients',
  })
  async recipientOrganisations(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<OrganisationRef[]> {
    if (!(await this.queries.showsRecipients(actor, b))) return [];
    return Promise.all(b.recipientOrganisationIds.map((id) => this.queries.authorOrganisation(id)));
  }

  @ResolveField(() => [ID], {
    description: 'Named recipient users (TLP:RED); empty unless you are the author or the author shows recipients',
  })
  async recipientUserIds(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<string[]> {
    return (await this.queries.showsRecipients(actor, b)) || b.authorUserId === actor.userId ? b.recipientUserIds : [];
  }

  @ResolveField(() => Int, {
    description: 'How many organisations (for TLP:RED, people) the bulletin names as recipients; shown to every reader',
  })
  recipientCount(@Parent() b: Bulletin): number {
    return b.tlp === Tlp.RED ? b.recipientUserIds.length : b.recipientOrganisationIds.length;
  }

  @ResolveField({ description: 'The bulletin names your organisation (for TLP:RED: you) as a recipient' })
  sharedWithYourOrganisation(@CurrentActor() actor: Actor, @Parent() b: Bulletin): boolean {
    return b.tlp === Tlp.RED
      ? b.recipientUserIds.includes(actor.userId)
      : !!actor.organisationId && b.recipientOrganisationIds.includes(actor.organisationId);
  }

  @ResolveField(() => [BulletinVersion])
  versions(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<BulletinVersion[]> {
    return this.queries.versions(actor, b.id);
  }

  @ResolveField(() => [Acknowledgement], {
    description: 'All of them for the author organisation; your own otherwise.',
  })
  acknowledgements(@CurrentActor() actor: Actor, @Parent() b: Bulletin): Promise<Acknowledgement[]> {
    return this.queries.acknowledgements(actor, b);
  }
}

@Resolver(() => BulletinConnection)
export class BulletinConnectionResolver {
  @ResolveField(() => Int, { description: 'All bulletins matching the filter that the caller may see' })
  totalCount(@Parent() connection: BulletinConnection): Promise<number> {
    return connection.count();
  }
}
