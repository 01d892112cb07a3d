// The bin must be executable for `npx curate` and global installs; tsc does not set the mode.
import fs from 'node:fs';

fs.chmodSync(new URL('../build/source/cli.js', import.meta.url), 0o755);
