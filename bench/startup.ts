/**
 * npm run bench:startup — how long a `curate` command takes from start to exit, beside a bare `node -e 0`.
 *
 * Times the built CLI (build/source/cli.js, rebuilt first with `npm run build` when a file under source/ or commands/
 * is newer), because that is what a user runs. On a private copy of the sample library, scanned once, it runs
 * `--help`, `--version`, `show PHOTO`, `status`, `journal` and `dupes` several times each, in turns so that the
 * machine's load changing during the run falls on every command alike, and prints each one's median, its ratio to
 * bare node, and the target ratio (issue 14).
 *
 *   --runs N     runs per command (default 7)
 *   --cli FILE   time another built cli.js (e.g. an older commit built elsewhere) instead of this one
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {parseArgs} from 'node:util';
import {sampleLibrary} from '../test/helpers/sample-library.js';

const {values} = parseArgs({options: {runs: {type: 'string', default: '7'}, cli: {type: 'string'}}});
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');
const cli = path.resolve(values.cli ?? path.join(root, 'build', 'source', 'cli.js'));

/** The newest modification time of a file under `dir`, in ms. */
function newest(dir: string): number {
	let latest = 0;
	for (const entry of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) {
			latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
		}
	}

	return latest;
}

if (!values.cli && (!fs.existsSync(cli) || Math.max(newest(path.join(root, 'source')), newest(path.join(root, 'commands'))) > fs.statSync(cli).mtimeMs)) {
	console.log('Building the CLI (npm run build) …');
	execFileSync('npm', ['run', '--silent', 'build'], {cwd: root, stdio: 'inherit'});
}

const {root: library, manifest} = await sampleLibrary();
// The photo `npm run demo` shows.
const photo = '2019/2019-05-03 Paris/DSC_0412.jpg';
if (!manifest.files.some(file => file.path === photo)) {
	throw new Error(`the sample library no longer holds ${photo}`);
}

const node = (args: readonly string[]) => spawnSync(process.execPath, args, {cwd: library, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
const scanned = node([cli, 'scan', '.', '--json']);
if (scanned.status !== 0) {
	throw new Error(`scan failed: ${scanned.stderr}`);
}

type Case = {readonly name: string; readonly args: readonly string[]; readonly target?: number};
const cases: Case[] = [
	{name: 'node -e 0', args: ['-e', '0']},
	{name: '--help', args: [cli, '--help'], target: 2},
	{name: '--version', args: [cli, '--version'], target: 2},
	{name: 'show PHOTO', args: [cli, 'show', photo], target: 3},
	{name: 'status', args: [cli, 'status'], target: 3},
	{name: 'journal', args: [cli, 'journal'], target: 3},
	{name: 'dupes', args: [cli, 'dupes'], target: 4},
];

const times = new Map<string, number[]>(cases.map(({name}) => [name, []]));
// One untimed round first: the first run of each pays for reading its files from disk into the page cache.
for (let round = -1; round < runs; round++) {
	for (const {name, args} of cases) {
		const start = performance.now();
		const result = node(args);
		const elapsed = performance.now() - start;
		if (result.status !== 0) {
			throw new Error(`${name} exited with ${result.status}: ${result.stderr}`);
		}

		if (round >= 0) {
			times.get(name)!.push(elapsed);
		}
	}
}

const median = (values: readonly number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const bare = median(times.get('node -e 0')!);
console.log(`${path.relative(process.cwd(), cli) || cli}, ${runs} runs each, load average ${os.loadavg().map(load => load.toFixed(2)).join(' ')}, ${os.availableParallelism()} cores`);
console.log(`${'command'.padEnd(12)} ${'median'.padStart(8)} ${'× node'.padStart(7)}  target`);
for (const {name, target} of cases) {
	const value = median(times.get(name)!);
	const ratio = value / bare;
	const verdict = target === undefined ? '' : `≤ ${target}×  ${ratio <= target ? 'ok' : 'over'}`;
	console.log(`${name.padEnd(12)} ${`${Math.round(value)} ms`.padStart(8)} ${ratio.toFixed(2).padStart(7)}  ${verdict}`);
}
