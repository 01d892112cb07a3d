/**
 * Issue 17: `curate watch` files arriving photos by `.curate/rules.txt` — by tag and by place — journals each round,
 * reads the rules again when they change, waits while they are bad, and undo takes every copy back.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {makeGeoPhotos, tripPhotos} from '../helpers/geo-photos.js';
import {tempDir} from '../helpers/temp.js';
import {treeSnapshot} from '../helpers/tree-snapshot.js';

after(async () => endExiftool());

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const delay = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, log: () => string, timeoutMs = 60_000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) {
			throw new Error(`timed out waiting for ${what}; log so far:\n${log()}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(100);
	}
}

test('watch files a photo by the tag rule and one by the place rule, follows an edited rules file, waits out a bad one; undo takes it all back', async () => {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	assert.equal((await runJson(['scan', root, '--json'])).result.code, 0);
	const rules = path.join(root, '.curate/rules.txt');
	fs.writeFileSync(rules, 'tag:birthday -> {year}/Birthday\nplace:DE -> {year}/{country}/{city}\n');
	const staging = path.join(tempDir(), 'staging');
	await makeGeoPhotos(staging, tripPhotos);
	await endExiftool();
	const inbox = path.join(tempDir(), 'inbox');
	fs.mkdirSync(inbox);
	const arrive = (photo: string) => {
		const from = path.join(staging, tripPhotos.find(candidate => candidate.path.endsWith(photo))!.path);
		// Written beside the inbox and renamed in: the watch sees the whole file at once.
		fs.copyFileSync(from, path.join(inbox, `.${photo}.part`));
		fs.renameSync(path.join(inbox, `.${photo}.part`), path.join(inbox, photo));
		return sha(from);
	};

	const before = treeSnapshot(root);
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'watch', inbox, '--library', root, '--settle', '300ms', '--pattern', '{year}/{event}'], {
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', chunk => {
		log += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', chunk => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	const seen = () => `${log}${stderr}`;
	try {
		await until(() => log.includes('watching'), 'the watch to start', seen);

		// A birthday (keyworded, no GPS), a photo taken in Berlin, and one in Paris that no rule matches.
		const birthday = arrive('IMG_0009.JPG');
		const berlin = arrive('IMG_0008.JPG');
		const paris = arrive('IMG_0001.JPG');
		await until(() => (log.match(/ imported /g) ?? []).length >= 3, 'three imports', seen);
		assert.match(log, /imported IMG_0009\.JPG -> 2019\/Birthday\/IMG_0009\.JPG \(rule 1: tag:birthday -> \{year\}\/Birthday, batch \d+\)/);
		assert.match(log, /imported IMG_0008\.JPG -> 2019\/Germany\/Berlin\/IMG_0008\.JPG \(rule 2: place:DE -> \{year\}\/\{country\}\/\{city\}, batch \d+\)/);
		assert.match(log, /imported IMG_0001\.JPG -> 2019\/2019-05-03 Paris\/IMG_0001\.JPG \(batch \d+\)/, 'no rule: the pattern, the event named after its place');
		assert.equal(sha(path.join(root, '2019/Birthday/IMG_0009.JPG')), birthday);
		assert.equal(sha(path.join(root, '2019/Germany/Berlin/IMG_0008.JPG')), berlin);
		assert.equal(sha(path.join(root, '2019/2019-05-03 Paris/IMG_0001.JPG')), paris);

		// The rules file changes while the watch runs: the next photo follows the new first rule.
		fs.writeFileSync(rules, 'place:france -> France/{year}/{city}\ntag:birthday -> {year}/Birthday\n');
		const lyon = arrive('IMG_0006.JPG');
		await until(() => log.includes('imported IMG_0006.JPG'), 'the Lyon photo', seen);
		assert.match(log, /imported IMG_0006\.JPG -> France\/2019\/Lyon\/IMG_0006\.JPG \(rule 1: place:france -> France\/\{year\}\/\{city\}, batch \d+\)/);
		assert.equal(sha(path.join(root, 'France/2019/Lyon/IMG_0006.JPG')), lyon);

		// A bad rules file: said once, with its line, and nothing is filed by half a rule set until it is fixed.
		fs.writeFileSync(rules, 'tag:birthday -> {year}/Birthday\ntag:x -> ../../etc\n');
		arrive('IMG_0010.JPG');
		await until(() => log.includes('nothing is imported until it is fixed'), 'the bad rules to be said', seen);
		assert.match(log, /rules\.txt line 2: pattern has an empty, "\." or "\.\." folder: "\.\.\/\.\.\/etc"; nothing is imported until it is fixed/);
		await delay(1500);
		assert.doesNotMatch(log, /imported IMG_0010/);
		assert.equal(log.match(/nothing is imported until it is fixed/g)!.length, 1, 'said once, not every round');
		fs.writeFileSync(rules, 'tag:birthday -> {year}/Birthday\n');
		await until(() => log.includes('imported IMG_0010.JPG'), 'the photo after the fix', seen);
		assert.match(log, /the rules file is fixed; importing again/);
		assert.match(log, /imported IMG_0010\.JPG -> 2019\/Birthday\/IMG_0010\.JPG \(rule 1: tag:birthday -> \{year\}\/Birthday, batch \d+\)/);
	} finally {
		child.kill('SIGTERM');
	}

	assert.equal(await exited, 0, stderr);

	// Every round is a journal batch of its own; undoing them (newest first) leaves the library as it was.
	const batches = [...log.matchAll(/batch (\d+)\)/g)].map(match => Number(match[1]));
	const distinct = [...new Set(batches)].sort((a, b) => b - a);
	const journal = await runJson(['journal', '--library', root, '--json']);
	assert.equal(journal.result.code, 0, journal.result.stderr);
	for (const batch of distinct) {
		assert.match(JSON.stringify(journal.json), new RegExp(`"command":"watch [^"]*inbox"`), 'journaled as watch');
		// eslint-disable-next-line no-await-in-loop
		const undo = await runCli(['undo', String(batch), '--library', root]);
		assert.equal(undo.code, 0, undo.stderr);
	}

	assert.deepEqual(treeSnapshot(root), before, 'every copy gone and no folder the watch made left behind');
	assert.deepEqual([...treeSnapshot(inbox).files.keys()].sort(), ['IMG_0001.JPG', 'IMG_0006.JPG', 'IMG_0008.JPG', 'IMG_0009.JPG', 'IMG_0010.JPG'], 'the inbox keeps its files');
});
