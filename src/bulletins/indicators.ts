import { registerEnumType } from '@nestjs/graphql';
import { IndicatorType } from '../shared/indicator-rules';

export * from '../shared/indicator-rules';
registerEnumType(IndicatorType, { name: 'IndicatorType' });
