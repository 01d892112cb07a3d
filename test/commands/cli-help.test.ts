import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {closeDecoders} from '../../source/media/decode.js';

import {runCli} from '../helpers/cli.js';
import {scannedSampleLibrary} from '../helpers/scanned.js';
import {treeSnapshot} from '../helpers/tree-snapshot.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

/** Every file under `root` (the catalog and trash included), except the lock, which a run may take and release. */
const everyFile = (root: string) => treeSnapshot(root, relative => relative === '.curate/lock').files;

/** Every command of the command map, read from `curate --help`, so a command added to the map is tested too. */
async function commandNames(): Promise<Array<{name: string; description: string}>> {
	const {stdout} = await runCli(['--help']);
	const section = stdout.split('  Commands\n')[1]!.split('\n\n')[0]!;
	return section.split('\n').map(line => {
		const [name, description] = line.trim().split(/\s{2,}/);
		return {name: name!, description: description!};
	});
}

test('--help at the end of any command line prints that command\'s help and changes nothing (dupes --apply keepers --help trashed 177 files)', {timeout: 1_800_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const commands = await commandNames();
	assert.ok(commands.length >= 20, `found ${commands.length} commands in curate --help`);
	assert.ok(commands.some(command => command.name === 'dupes') && commands.some(command => command.name === 'tags review'));
	const before = everyFile(root);
	const queue = [...commands];
	const failures: string[] = [];
	// Three at a time: each run is mostly tsx starting up.
	await Promise.all(Array.from({length: 3}, async () => {
		for (let command = queue.shift(); command; command = queue.shift()) {
			// -h is the same flag; checked on the two commands that did the damage, to keep the test's many CLI starts down.
			for (const help of ['dupes', 'undo'].includes(command.name) ? ['--help', '-h'] : ['--help']) {
				// The flags that acted before the fix, then the help flag last.
				const args = [...command.name.split(' '), '--library', root, '--apply', 'keepers', '--break-lock', '--json', help];
				// eslint-disable-next-line no-await-in-loop
				const result = await runCli(args, {cwd: root, timeoutMs: 600_000});
				if (result.code !== 0 || !result.stdout.includes(command.description) || !/Usage\n\s+\$ curate /.test(result.stdout) || !result.stdout.includes('  Options\n')) {
					failures.push(`curate ${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
				}
			}
		}
	}));
	assert.deepEqual(failures, []);
	assert.deepEqual(everyFile(root), before, 'the library and its catalog are byte-identical');
	assert.equal(fs.existsSync(path.join(root, '.curate', 'trash')), false, 'nothing went to the trash');
});

test('after -- a "--help" is an argument, not a request for help', async () => {
	const {root} = await scannedSampleLibrary();
	const result = await runCli(['show', '--library', root, '--', '--help'], {cwd: root});
	assert.equal(result.code, 2);
	assert.match(result.stderr, /not in the catalog: --help/);
	assert.equal(result.stdout, '');
});

test('a misspelt flag names the nearest flag of that command, and a misspelt command the nearest command', async () => {
	const flag = await runCli(['dupes', '--aply', 'keepers', '--dryrun']);
	assert.equal(flag.code, 2);
	assert.match(flag.stderr, /unknown flag --aply \(did you mean --apply\?\)/);
	assert.match(flag.stderr, /unknown flag --dryrun \(did you mean --dry-run\?\)/);
	assert.doesNotMatch(flag.stderr, /^Unknown flag/m);
	const command = await runCli(['dupse']);
	assert.equal(command.code, 2);
	assert.match(command.stderr, /unknown command "dupse" \(did you mean "dupes"\?\)/);
	const sub = await runCli(['tags', 'reviw']);
	assert.equal(sub.code, 2);
	assert.match(sub.stderr, /unknown subcommand "tags reviw" \(did you mean "tags review"\?\)/);
});
