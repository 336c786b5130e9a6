import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { PersonalDataCategory } from '../../common/personal-data';

registerEnumType(PersonalDataCategory, {
  name: 'PersonalDataCategory',
  description: 'What kind of personal data a column holds (the register of processing)',
});

@ArgsType()
export class RegisterArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Whose retention in force and purges to show: an organisation's, or the platform defaults",
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

@ObjectType({ description: 'One table of the register of processing' })
export class RegisterTableView {
  @Field()
  table: string;

  @Field()
  purpose: string;

  @Field()
  recipients: string;

  @Field(() => [PersonalDataCategory], { description: 'Empty: the table holds no personal data' })
  categories: PersonalDataCategory[];

  @Field(() => [String])
  personalColumns: string[];

  @Field({ description: 'The retention rule, as declared' })
  retention: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Days the rule keeps rows, as configured for this organisation; null for rules without a limit in days',
  })
  retentionDays: number | null;

  @Field(() => Date, { nullable: true, description: 'When a purge under this rule last deleted rows' })
  lastPurgeAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'How many rows that purge deleted' })
  lastPurged: number | null;
}

@ObjectType()
export class LegalBasisView {
  @Field(() => PersonalDataCategory)
  category: PersonalDataCategory;

  @Field(() => String, { nullable: true, description: "The deployment's legal basis (LEGAL_BASES); null until stated" })
  basis: string | null;
}

@ObjectType({ description: 'The register of processing, generated from the code, with what is in force' })
export class DataProtectionRegister {
  @Field(() => ID, { nullable: true })
  organisationId: string | null;

  @Field(() => [RegisterTableView])
  tables: RegisterTableView[];

  @Field(() => [LegalBasisView])
  legalBases: LegalBasisView[];
}
