import { Args, Query, Resolver } from '@nestjs/graphql';
import { Checks } from '../common/checks';
import { DataProtectionService } from './data-protection.service';
import { DataProtectionRegister, RegisterArgs } from './dto/register.types';

@Resolver()
export class DataProtectionResolver {
  constructor(private readonly dataProtection: DataProtectionService) {}

  @Checks('read', 'Platform', 'Only platform administrators read the register of processing')
  @Query(() => DataProtectionRegister, {
    description:
      "The register of processing generated from the code, with an organisation's retention in force and last purges.",
  })
  dataProtectionRegister(@Args() { organisationId }: RegisterArgs): Promise<DataProtectionRegister> {
    return this.dataProtection.register(organisationId ?? null);
  }
}
