import { PasswordService } from './password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('hashes with argon2id and verifies', async () => {
    const hash = await passwords.hash('a-long-enough-password');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await passwords.verify(hash, 'a-long-enough-password')).toBe(true);
    expect(await passwords.verify(hash, 'another-password')).toBe(false);
  });

  it('spends a real argon2 verification on unknown accounts, so timing does not reveal them', async () => {
    const hash = await passwords.hash('a-long-enough-password');
    await passwords.verify(undefined, 'warm-up');
    const time = async (h: string | undefined) => {
      const start = process.hrtime.bigint();
      await passwords.verify(h, 'wrong-password');
      return Number(process.hrtime.bigint() - start);
    };
    const known = await time(hash);
    const unknown = await time(undefined);
    expect(await passwords.verify(undefined, 'harbourwatch-timing-equaliser')).toBe(false);
    // Same parameters, same work: well within a factor of three of each other.
    expect(unknown).toBeGreaterThan(known / 3);
    expect(unknown).toBeLessThan(known * 3);
  });

  it('requires at least 12 characters', () => {
    expect(() => passwords.assertAcceptable('elevenchars')).toThrow(/at least 12/);
    expect(() => passwords.assertAcceptable('twelve-chars')).not.toThrow();
  });
});
