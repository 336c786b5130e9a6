import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { RequestEndedError } from './errors';
import { formatError } from './format-error';

describe('formatError', () => {
  afterEach(() => jest.restoreAllMocks());

  const format = (original: Error) =>
    formatError(
      { message: original.message, path: ['b', 'versions'] },
      new GraphQLError(original.message, { originalError: original }),
    );

  it('hides an unexpected error behind INTERNAL and logs it as an error', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(format(new Error('relation "x" does not exist'))).toEqual({
      message: 'Internal error',
      path: ['b', 'versions'],
      locations: undefined,
      extensions: { code: 'INTERNAL' },
    });
    expect(error).toHaveBeenCalled();
  });

  it('logs work refused after the answer left as a warning, not an error', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(format(new RequestEndedError()).extensions).toEqual({ code: 'INTERNAL' });
    expect(warn).toHaveBeenCalledWith('b.versions: The request has ended; its database work is refused');
    expect(error).not.toHaveBeenCalled();
  });
});
