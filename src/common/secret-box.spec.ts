import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DP', 'totp');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(box.open(sealed, 'totp')).toBe('JBSWY3DPEHPK3PXPJBSWY3DP');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'ctx')).not.toBe(box.seal('same', 'ctx'));
  });

  it('refuses a value moved to another context, a tampered value and another key', () => {
    const sealed = box.seal('secret', 'totp');
    expect(() => box.open(sealed, 'identity')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'), 'totp')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'totp')).toThrow();
  });

  it('opens what previous keys sealed, seals under the current one, and names it', () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before = new SecretBox(oldKey).seal('secret', 'totp');
    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.isCurrent(before)).toBe(false);
    expect(rotated.open(before, 'totp')).toBe('secret');
    const after = rotated.seal('secret', 'totp');
    expect(rotated.isCurrent(after)).toBe(true);
    expect(new SecretBox(newKey).open(after, 'totp')).toBe('secret');
    expect(() => new SecretBox(newKey).open(before, 'totp')).toThrow('not configured');
    // Values sealed before they named their key: whichever configured key opens them.
    const unnamed = ['v1', ...before.split('.').slice(2)].join('.');
    expect(rotated.open(unnamed, 'totp')).toBe('secret');
    expect(() => new SecretBox(newKey).open(unnamed, 'totp')).toThrow('not configured');
  });
});
