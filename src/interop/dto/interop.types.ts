import { Field, ObjectType } from '@nestjs/graphql';
import { Bulletin } from '../../bulletins/bulletin.entity';
import type { SkippedObject } from '../stix-import.service';

@ObjectType()
export class StixSkippedObject {
  @Field()
  id: string;

  @Field()
  type: string;

  @Field()
  reason: string;
}

@ObjectType()
export class StixImportResult {
  @Field(() => [Bulletin], { description: 'One draft per report, for analysts to review and publish' })
  drafts: Bulletin[];

  @Field(() => [StixSkippedObject], { description: 'Everything in the bundle that is not part of a draft, and why' })
  skipped: SkippedObject[];
}
