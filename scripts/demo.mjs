// npm run demo: builds the sample library in a temporary folder, scans it with the real CLI and, on a terminal, opens
// the review screen, so a fresh clone can see Curate work in one command. The folder is kept so you can explore it with the commands printed at the end.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {buildSampleLibrary} from '../media-fixtures/build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'build', 'source', 'cli.js');
if (!fs.existsSync(cli)) {
	console.error('The CLI is not built yet: run `npm install` (or `npm run build`) first.');
	process.exit(1);
}

const library = path.join(os.tmpdir(), 'curate-demo-library');
fs.rmSync(library, {recursive: true, force: true});
console.log(`Building the sample library in ${library} …`);
const manifest = await buildSampleLibrary(library);
fs.rmSync(path.join(library, 'manifest.json'));
console.log(`${manifest.files.length} files: photos from four cameras, exact copies, edited variants, a burst, broken files and NAS clutter.\n`);

const curate = (...args) => {
	console.log(`$ curate ${args.join(' ')}`);
	const result = spawnSync(process.execPath, [cli, ...args], {stdio: 'inherit', cwd: library});
	console.log('');
	return result.status;
};

const status = curate('scan', library);
if (process.stdout.isTTY && process.stdin.isTTY && status === 0) {
	// On a terminal the demo ends in the review screen: triage the sample library's duplicates with the keyboard.
	console.log('Opening the review screen (? shows the keys, q quits) …');
	await new Promise(resolve => setTimeout(resolve, 1500));
	const review = curate('review');
	console.log(`The library is in ${library}. Trashed files are in ${path.join(library, '.curate', 'trash')}; reopen the review with:
  cd ${library} && node ${cli} review`);
	process.exit(review ?? 1);
}

curate('show', '2019/2019-05-03 Paris/DSC_0412.jpg');
curate('dupes', '--limit', '3');
console.log(`The library is in ${library}. Try:
  cd ${library}
  node ${cli} show "2021/2021-07-14/IMG_0003.jpg" --json
  node ${cli} dupes --json
  node ${cli} dupes --kind similar`);
process.exit(status ?? 1);
