import { registerEnumType } from '@nestjs/graphql';
import { IndicatorType } from './indicator-rules';

export * from './indicator-rules';
registerEnumType(IndicatorType, { name: 'IndicatorType' });
