// After install: compiles Linka to dist/ (`npm run build`), so `npm start` runs JavaScript that
// needs no compiling at start-up (cold start and memory: README, "Performance"). Where the
// compiler is missing (an install without dev dependencies) or the build fails, it says so and
// the install goes on: bin/linka.js then runs the TypeScript sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/typescript/bin/tsc')) {
  console.warn('linka: TypeScript is not installed (no dev dependencies?): not compiling; linka will run its TypeScript sources through tsx');
  process.exit(0);
}
const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (r.status !== 0) {
  console.warn('linka: compiling to dist/ failed (above); linka will run its TypeScript sources through tsx');
}
