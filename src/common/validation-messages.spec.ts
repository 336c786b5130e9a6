import { ArrayMaxSize, ArrayMinSize, IsDate, IsUUID, Length, validate } from 'class-validator';
import { inProductWords } from './validation-messages';

class Sample {
  @IsDate()
  validUntil: unknown = 'tomorrow';

  @IsUUID('all', { each: true })
  organisationIds = ['not-an-id'];

  @Length(3, 200)
  title = 'ab';

  @ArrayMaxSize(2)
  ports = ['NLRTM', 'BEANR', 'DEHAM'];

  @ArrayMinSize(1)
  recipients = [];
}

describe('validation messages', () => {
  it("say what is expected in the product's words, with the limits the constraint names", async () => {
    const errors = await validate(new Sample());
    const messages = errors.map((e) => inProductWords(Object.values(e.constraints!)[0]));
    expect(messages).toEqual([
      'validUntil must be a date and time, such as 2026-12-01T18:00:00Z',
      'each of organisationIds must be an id given by Harbourwatch',
      'title must have at least 3 characters',
      'ports may list at most 2 values',
      'recipients must list at least one value',
    ]);
  });

  it('leave messages written for a field as they are', () => {
    expect(inProductWords('each port must be a UN/LOCODE such as NLRTM')).toBe(
      'each port must be a UN/LOCODE such as NLRTM',
    );
  });
});
