import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { PasswordService } from '../auth/password.service';
import { AUTH_ENTITIES } from '../auth/auth.module';
import { User } from '../auth/user.entity';
import { cliContext, flag, runCli } from './cli-context';

async function askPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new Error('Set ADMIN_PASSWORD or run in a terminal to be asked for the password');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  const ask = rl.question('Password (min. 12 characters): ');
  muted._writeToOutput = () => undefined; // do not echo the password
  const password = await ask;
  rl.close();
  process.stdout.write('\n');
  return password;
}

runCli(async () => {
  const email = flag('email');
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email))
    throw new Error('Usage: npm run admin:create -- --email admin@example.eu [--name "Display Name"]');
  const passwords = new PasswordService();
  const password = await askPassword();
  passwords.assertAcceptable(password);
  const { dataSource, log } = await cliContext(AUTH_ENTITIES);
  await dataSource.runMigrations({ transaction: 'each' });
  const existing = await dataSource.manager.findOneBy(User, { email });
  if (existing) {
    await dataSource.manager.update(User, existing.id, { isPlatformAdmin: true });
    log.log(`${email} already existed and is now a platform administrator (password unchanged)`);
  } else {
    await dataSource.manager.insert(User, {
      email,
      displayName: flag('name') ?? email.split('@')[0],
      passwordHash: await passwords.hash(password),
      isPlatformAdmin: true,
    });
    log.log(
      `Platform administrator ${email} created. Sign in to the console: it sets up an authenticator app first, then opens the Platform desk.`,
    );
  }
});
