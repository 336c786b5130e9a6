import { Module } from '@nestjs/common';
import { MembersResolver } from './members.resolver';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { OrganisationsResolver } from './organisations.resolver';
import { OrganisationsService } from './organisations.service';

@Module({
  providers: [OrganisationsService, OrganisationsResolver, MembersRepository, MembersService, MembersResolver],
})
export class OrganisationsModule {}
