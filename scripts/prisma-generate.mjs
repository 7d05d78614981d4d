// Generates the Prisma clients for both providers (SQLite and PostgreSQL) after install.
// Runs offline: the generator is the TypeScript "prisma-client" one with the JS engine.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, rmSync, symlinkSync } from 'node:fs';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
for (const provider of ['sqlite', 'postgres']) {
  const config = `prisma/${provider}/prisma.config.ts`;
  if (!existsSync(config)) continue;
  // Each provider's folder reads the shared models through a symlink; a checkout that lost it
  // (a copy or an archive without links) gets it back instead of a schema with no models.
  const models = `prisma/${provider}/models.prisma`;
  if (!lstatSync(models, { throwIfNoEntry: false })?.isSymbolicLink()) {
    rmSync(models, { force: true });
    symlinkSync('../models.prisma', models);
  }
  const r = spawnSync('npx', ['--no-install', 'prisma', 'generate', '--config', config], { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`prisma generate failed for ${provider}`);
    process.exit(r.status ?? 1);
  }
}
