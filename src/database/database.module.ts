import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseService } from './database.service';
import { HeavyWorkBudget } from './heavy-work-budget.entity';

/** The tables the database layer itself keeps (heavy work's budgets of time). */
export const DATABASE_ENTITIES = [HeavyWorkBudget];

@Global()
@Module({})
export class DatabaseModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useValue: dataSource }, DatabaseService],
      exports: [DataSource, DatabaseService],
    };
  }
}
