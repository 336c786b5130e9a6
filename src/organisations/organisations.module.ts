import { Module } from '@nestjs/common';
import { MembersResolver } from './members.resolver';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { OrganisationsResolver } from './organisations.resolver';
import { OrganisationsService } from './organisations.service';
import { ViewerResolver } from './viewer.resolver';
import { ViewerService } from './viewer.service';
import { Organisation } from './organisation.entity';
import { Membership } from './membership.entity';
import { Invitation } from './invitation.entity';

export const ORGANISATIONS_ENTITIES = [Organisation, Membership, Invitation];

@Module({
  providers: [
    OrganisationsService,
    OrganisationsResolver,
    MembersRepository,
    MembersService,
    MembersResolver,
    ViewerService,
    ViewerResolver,
  ],
  exports: [MembersRepository, MembersService],
})
export class OrganisationsModule {}
