import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import { Connection, ConnectionType } from '../common/pagination';
import { IdArgs } from '../common/dto/id.inputs';
import { CreateSharingRuleArgs, SharingRulesArgs, UpdateSharingRuleArgs } from './dto/sharing.inputs';
import { SharingAudience, SharingRule } from './sharing-rule.entity';
import { SharingRulesService } from './sharing-rules.service';
import { SharingRulePreview } from './dto/sharing-rule-preview.types';
import { Checks, ChecksEach } from '../common/checks';

const SharingRuleConnection = ConnectionType(SharingRule);

@Resolver(() => SharingRule)
export class SharingResolver {
  constructor(private readonly rules: SharingRulesService) {}

  @Checks('create', 'SharingRule', 'Organisation admins manage their rules, platform administrators platform-wide ones')
  @Mutation(() => SharingRule, {
    description:
      "Organisation admins share their organisation's information; platform admins set alliance-wide defaults.",
  })
  createSharingRule(@CurrentActor() actor: Actor, @Args() { input }: CreateSharingRuleArgs): Promise<SharingRule> {
    return this.rules.create(actor, input);
  }

  @Checks('create', 'SharingRule', 'Organisation admins manage their rules, platform administrators platform-wide ones')
  @Query(() => SharingRulePreview, {
    description:
      'Before saving: the organisations a rule would admit now and, for your AMBER bulletin rule, which current bulletins it would open to them.',
  })
  sharingRulePreview(
    @CurrentActor() actor: Actor,
    @Args() { input }: CreateSharingRuleArgs,
  ): Promise<SharingRulePreview> {
    return this.rules.preview(actor, input);
  }

  @ChecksEach(
    'update',
    'SharingRule',
    'Organisation admins manage their rules, platform administrators platform-wide ones',
  )
  @Mutation(() => SharingRule)
  updateSharingRule(@CurrentActor() actor: Actor, @Args() { id, input }: UpdateSharingRuleArgs): Promise<SharingRule> {
    return this.rules.update(actor, id, input);
  }

  @ChecksEach(
    'update',
    'SharingRule',
    'Organisation admins manage their rules, platform administrators platform-wide ones',
  )
  @Mutation(() => SharingRule, { description: 'Ends the rule now; it stays listed with its end.' })
  expireSharingRule(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<SharingRule> {
    return this.rules.expire(actor, id);
  }

  @ChecksEach(
    'delete',
    'SharingRule',
    'Organisation admins manage their rules, platform administrators platform-wide ones',
  )
  @Mutation(() => Boolean)
  deleteSharingRule(@CurrentActor() actor: Actor, @Args() { id }: IdArgs): Promise<boolean> {
    return this.rules.delete(actor, id);
  }

  @ChecksEach('read', 'SharingRule', 'Analysts and organisation admins see the rules that share their data')
  @Query(() => SharingRuleConnection, {
    description: "The acting organisation's rules and the alliance-wide defaults (admins and analysts).",
  })
  sharingRules(@CurrentActor() actor: Actor, @Args() args: SharingRulesArgs): Promise<Connection<SharingRule>> {
    return this.rules.list(actor, args);
  }

  @ResolveField(() => SharingAudience)
  audience(@Parent() rule: SharingRule): SharingAudience {
    return {
      organisationIds: rule.audienceOrganisationIds,
      organisationTypes: rule.audienceOrganisationTypes,
      ports: rule.audiencePorts,
    };
  }
}
