/**
 * npm run bench:backup — backup throughput to a restic repository and to a mirrored folder, on the same data.
 *
 *   npm run bench:backup [-- --count 100] [--size-mb 3]
 *
 * Generates (once, cached in bench/.data) COUNT files of SIZE MB of random bytes (incompressible, like JPEG and HEIC)
 * and a catalog that lists them with their SHA-256, then times a first backup to a fresh local restic repository, a
 * second one with one file changed (what a nightly run costs), and a first backup to a fresh mirror folder. Prints MB/s
 * of each and the ratio of restic's first run to the mirror's, measured in the same run (absolute times drift with
 * load). restic's raw speed on the same files (`restic backup` of the folder, no Curate) is printed as the floor.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {Catalog} from '../source/db/catalog.js';
import {backupLibrary} from '../source/health/backup.js';
import {backupToRestic} from '../source/health/restic-backup.js';
import {randomLibrary} from './random-library.js';

const {values} = parseArgs({options: {count: {type: 'string', default: '100'}, 'size-mb': {type: 'string', default: '3'}}});
const count = Number(values.count);
const size = Math.round(Number(values['size-mb']) * 1_000_000);
const library = randomLibrary('backup', count, size);
const {root} = library;

if (spawnSync('restic', ['version']).status !== 0) {
	console.log('restic is not installed (apt-get install restic): bench:backup needs it');
	process.exit(0);
}


const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-backup-'));
const password = path.join(scratch, 'password');
fs.writeFileSync(password, 'bench\n');
const total = count * size;
const rate = (seconds: number, bytes = total) => `${(bytes / 1e6 / seconds).toFixed(1)} MB/s`;
const time = async (run: () => Promise<unknown>) => {
	const started = performance.now();
	await run();
	return (performance.now() - started) / 1000;
};

// Catalog writes need a fresh catalog per target: the backup records go into it.
const catalog = Catalog.open(library.catalogPath);
try {
	const repo = path.join(scratch, 'repo');
	const resticFirst = await time(async () => backupToRestic(library, catalog, {repository: {repo, passwordFile: password}, location: `restic:${repo}`, init: true}));
	const changed = path.join(root, '000/IMG_00000.jpg');
	fs.utimesSync(changed, new Date(), new Date());
	const resticAgain = await time(async () => backupToRestic(library, catalog, {repository: {repo, passwordFile: password}, location: `restic:${repo}`}));
	const mirrorFirst = await time(async () => backupLibrary(library, catalog, path.join(scratch, 'mirror')));
	const rawRepo = path.join(scratch, 'raw');
	spawnSync('restic', ['--repo', rawRepo, '--password-file', password, 'init'], {stdio: 'ignore'});
	const rawStarted = performance.now();
	spawnSync('restic', ['--repo', rawRepo, '--password-file', password, 'backup', '--quiet', '--exclude', '.curate', root], {stdio: 'ignore'});
	const raw = (performance.now() - rawStarted) / 1000;
	console.log(`${count} files of ${(size / 1e6).toFixed(1)} MB (${(total / 1e6).toFixed(0)} MB), load ${os.loadavg()[0]!.toFixed(1)}:`);
	console.log(`  restic, first backup:   ${rate(resticFirst)} (${resticFirst.toFixed(1)} s)`);
	console.log(`  restic, nightly rerun:  ${resticAgain.toFixed(1)} s with nothing new`);
	console.log(`  mirror, first backup:   ${rate(mirrorFirst)} (${mirrorFirst.toFixed(1)} s)`);
	console.log(`  restic alone (floor):   ${rate(raw)} (${raw.toFixed(1)} s)`);
	console.log(`  ratio restic/mirror: ${(mirrorFirst / resticFirst).toFixed(2)}x the mirror's speed; Curate on restic at ${(raw / resticFirst).toFixed(2)} of restic alone`);
} finally {
	catalog.close();
	fs.rmSync(scratch, {recursive: true, force: true});
}
