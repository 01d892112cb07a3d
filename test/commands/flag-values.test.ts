// Flag values through the real CLI (issue 14): enumerated flags are meow `choices`, refused in meow's words with
// exit 2 before any engine runs; durations need a unit everywhere, where `purge --older-than 30` once meant 30 days
// and `watch --settle 10` 10 seconds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/temp.js';

describe('flag values', () => {
	let root: string;
	before(() => {
		root = tempDir();
		Catalog.open(path.join(root, '.curate', 'catalog.db')).close();
	});

	test('a value outside an enumerated flag\'s choices gets meow\'s message and exit 2, and nothing runs', async () => {
		const cases = [
			{args: ['dupes', '--kind', 'bogus'], message: 'Unknown value for flag `--kind`: `bogus`. Value must be one of: [`exact`, `pixels`, `near`, `similar`, `all`]'},
			{args: ['review', '--sort', 'size'], message: 'Unknown value for flag `--sort`: `size`. Value must be one of: [`reclaim`, `date`, `path`]'},
			{args: ['export', 'year:2020', '--to', 'out', '--strip', 'exif'], message: 'Unknown value for flag `--strip`: `exif`. Value must be one of: [`gps`, `all`, `none`]'},
			{args: ['organize', '--undated', 'never'], message: 'Unknown value for flag `--undated`: `never`. Value must be one of: [`mtime`, `unknown`]'},
		];
		const results = await Promise.all(cases.map(async ({args}) => runCli(args, {cwd: root})));
		for (const [index, result] of results.entries()) {
			assert.equal(result.code, 2, `curate ${cases[index]!.args.join(' ')}: ${result.stderr}`);
			assert.equal(result.stderr, `curate: ${cases[index]!.message}\n`);
			assert.equal(result.stdout, '');
		}

		assert.equal(fs.existsSync(path.join(root, 'out')), false, 'export wrote nothing');
	});

	test('a duration without a unit is refused everywhere (purge --older-than 30 read as days, watch --settle 10 as seconds)', async () => {
		const inbox = tempDir();
		const [purge, watch, limit, organize] = await Promise.all([
			runCli(['purge', '--older-than', '30'], {cwd: root}),
			runCli(['watch', inbox, '--settle', '10', '--once'], {cwd: root}),
			runCli(['watch', inbox, '--settle-limit', '3600', '--once'], {cwd: root}),
			runCli(['organize', '--gap', '6'], {cwd: root}),
		]);
		assert.equal(purge.code, 2, purge.stderr);
		assert.equal(purge.stderr, 'curate: --older-than: "30" needs a unit (ms, s, m, h, d): e.g. 30s, 30m, 30h or 30d\n');
		assert.equal(watch.code, 2, watch.stderr);
		assert.equal(watch.stderr, 'curate: "10" needs a unit (ms, s, m, h, d): e.g. 10s, 10m, 10h or 10d\n');
		assert.equal(limit.code, 2, limit.stderr);
		assert.match(limit.stderr, /"3600" needs a unit/);
		assert.equal(organize.code, 2, organize.stderr);
		assert.match(organize.stderr, /"6" needs a unit/);
	});

	test('durations with units, and 0, are accepted where a bare number is not', async () => {
		const [days, zero] = await Promise.all([runCli(['purge', '--older-than', '30d', '--dry-run', '--json'], {cwd: root}), runCli(['purge', '--older-than', '0', '--force', '--dry-run', '--json'], {cwd: root})]);
		assert.equal(days.code, 0, days.stderr);
		assert.equal(JSON.parse(days.stdout).dryRun, true);
		assert.equal(zero.code, 0, zero.stderr);
	});
});
