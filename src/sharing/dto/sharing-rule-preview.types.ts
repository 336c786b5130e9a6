import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { OrganisationRef } from '../../common/dto/organisation-ref.types';

@ObjectType()
export class PreviewBulletin {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field()
  category: string;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;
}

@ObjectType({ description: 'What a sharing rule would do if saved as it stands, now.' })
export class SharingRulePreview {
  @Field(() => Int, { description: 'Active organisations its audience admits (other than its owner)' })
  organisationCount: number;

  @Field(() => [OrganisationRef], { description: 'The first 100 of them, by name' })
  organisations: OrganisationRef[];

  @Field(() => Int, {
    nullable: true,
    description:
      "The owner's current TLP:AMBER bulletins it would open to them (only AMBER is widened by a rule); null for an alliance-wide or vetting rule",
  })
  bulletinCount: number | null;

  @Field(() => [PreviewBulletin], { description: 'The 10 most recent of them' })
  bulletins: PreviewBulletin[];
}
