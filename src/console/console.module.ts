import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { DocsController } from './docs.controller';

@Module({ controllers: [ConsoleController, DocsController] })
export class ConsoleModule {}
