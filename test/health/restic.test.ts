// Backups through the real restic binary (issue 18): a local repository, a REST repository served by rclone on
// 127.0.0.1, retention over a simulated month, restore of a rotted file and its undo, a kill during a backup, and
// each failure users meet (wrong password, no repository, unreachable remote, no restic, a full disk) as one line.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {endExiftool} from '../../source/adapters/exif.js';
import {BackupStore} from '../../source/db/backups.js';
import {backupToRestic} from '../../source/health/restic-backup.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {scannedSampleLibrary, scanRoot, withCatalog} from '../helpers/scanned.js';
import {needsSmallFs, smallFs} from '../helpers/small-fs.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const hasRestic = spawnSync('restic', ['version']).status === 0;
const needsRestic: string | false = hasRestic ? false : 'restic is not installed (apt-get install restic): restic backup tests skipped';
const hasRclone = spawnSync('rclone', ['version']).status === 0;

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A password file outside the library, as a user keeps one. */
function passwordFile(text = 'correct horse battery staple'): string {
	const file = path.join(tempDir(), 'restic-password');
	fs.writeFileSync(file, text + '\n', {mode: 0o600});
	return file;
}

function restic(repo: string, password: string, args: readonly string[]): string {
	const result = spawnSync('restic', ['--repo', repo, '--password-file', password, '--no-cache', ...args], {encoding: 'utf8'});
	assert.equal(result.status, 0, result.stderr);
	return result.stdout;
}

/** Flips one byte in the middle of a file and puts its mtime back exactly: bit rot as verify sees it. */
function rot(file: string): void {
	const stat = fs.statSync(file);
	const bytes = fs.readFileSync(file);
	bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
	fs.writeFileSync(file, bytes);
	fs.utimesSync(file, stat.atimeMs / 1000, stat.mtimeMs / 1000);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => {
				resolve(port);
			});
		});
		server.on('error', reject);
	});
}

test('every corpus photo backed up to restic verifies with 0 differences; a rotted photo is restored from it and undo takes the restore back', {skip: needsRestic || needsCorpus, timeout: 600_000}, async () => {
	const root = path.join(tempDir(), 'photos');
	copyTree(corpusDir, root);
	await scanRoot(root);
	const repo = path.join(tempDir(), 'restic-repo');
	const password = passwordFile();
	const backup = await runJson(['backup', '--to', `restic:${repo}`, '--password-file', password, '--init', '--json'], {cwd: root});
	const present = withCatalog(root, catalog => new BackupStore(catalog).sources());
	const libraryId = withCatalog(root, catalog => new BackupStore(catalog).knownLibraryId());
	assert.ok(libraryId);
	// Exit 1 only when verify had found damaged files (none in a fresh copy) or files changed since the scan.
	assert.equal(backup.result.code, 0, backup.result.stderr + backup.result.stdout);
	assert.equal(backup.json.initialised, true);
	assert.equal(backup.json.files, present.length + backup.json.sidecars);

	const snapshots = JSON.parse(restic(repo, password, ['snapshots', '--json'])) as Array<{tags: string[]; paths: string[]}>;
	assert.equal(snapshots.length, 1);
	assert.ok(snapshots[0]!.tags.includes(`library:${libraryId}`), 'the snapshot is tagged with the library id');
	const listed = restic(repo, password, ['ls', 'latest']);
	assert.ok(listed.includes('/.curate/backup-snapshot/catalog.db'), 'the catalog snapshot is in the backup');
	assert.ok(!listed.includes('/.curate/thumbs'), 'thumbnails are not');

	const verify = await runJson(['verify', '--backup', `restic:${repo}`, '--password-file', password, '--json'], {cwd: root});
	assert.equal(verify.result.code, 0, verify.result.stdout);
	assert.deepEqual([verify.json.checked, verify.json.damaged, verify.json.missing, verify.json.repository.ok], [present.length, [], [], true]);

	const status = await runCli(['status'], {cwd: root});
	assert.match(status.stdout, /^ {2}last \d{4}-\d\d-\d\d \d\d:\d\d \(today\), snapshot [\da-f]{8}: restic:\/.*$/m);
	assert.match(status.stdout, /^ {2}0 files in no backup, \d+ in only one/m);
	const statusJson = await runJson(['status', '--json'], {cwd: root});
	assert.deepEqual(statusJson.json.backups.targets.map((target: {location: string}) => target.location), [`restic:${repo}`]);
	assert.equal(statusJson.json.backups.inNoBackup, 0);

	const victim = present.find(file => file.path.toLowerCase().endsWith('.jpg'))!;
	const absolute = path.join(root, victim.path);
	rot(absolute);
	const found = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual(found.json.damaged.map((finding: {path: string}) => finding.path), [victim.path]);
	const rotten = sha(absolute);

	const restore = await runJson(['restore', '--damaged', '--from', `restic:${repo}`, '--password-file', password, '--json'], {cwd: root});
	assert.equal(restore.result.code, 0, restore.result.stderr);
	assert.deepEqual(restore.json.restored.map((file: {path: string}) => file.path), [victim.path]);
	assert.equal(sha(absolute), victim.sha256, 'the restored bytes are the catalog\'s');
	assert.equal(fs.existsSync(path.join(root, '.curate/restore-staging')), false, 'nothing staged is left behind');

	const undo = await runCli(['undo'], {cwd: root});
	assert.equal(undo.code, 0, undo.stderr);
	assert.equal(sha(absolute), rotten, 'undo puts the damaged file back');
});

test('a second backup to a REST repository stores only what changed', {skip: needsRestic || (hasRclone ? false : 'rclone is not installed: REST repository test skipped'), timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const served = path.join(tempDir(), 'rest-repos');
	fs.mkdirSync(served);
	const port = await freePort();
	const server = spawn('rclone', ['serve', 'restic', '--addr', `127.0.0.1:${port}`, served], {stdio: 'ignore'});
	try {
		for (let tries = 0; tries < 100; tries++) {
			// eslint-disable-next-line no-await-in-loop
			const open = await new Promise<boolean>(resolve => {
				const socket = net.connect(port, '127.0.0.1', () => {
					socket.end();
					resolve(true);
				}).on('error', () => {
					resolve(false);
				});
			});
			if (open) {
				break;
			}

			// eslint-disable-next-line no-await-in-loop
			await sleep(100);
		}

		const target = `restic:rest:http://127.0.0.1:${port}/photos`;
		const password = passwordFile();
		const first = await runJson(['backup', '--to', target, '--password-file', password, '--init', '--json'], {cwd: root});
		assert.equal(first.result.code, 0, first.result.stderr);
		assert.ok(first.json.filesNew > 0);

		const edited = withCatalog(root, catalog => new BackupStore(catalog).sources())[0]!;
		fs.appendFileSync(path.join(root, edited.path), Buffer.alloc(4096, 7));
		await scanRoot(root);
		const second = await runJson(['backup', '--to', target, '--password-file', password, '--json'], {cwd: root});
		assert.equal(second.result.code, 0, second.result.stderr);
		// The edited photo and the catalog snapshot changed; every other file is unmodified and not stored again.
		assert.equal(second.json.filesNew, 0);
		assert.equal(second.json.filesChanged, 2);
		assert.equal(second.json.filesUnmodified, first.json.filesNew - 2);
		assert.ok(second.json.dataAdded < first.json.dataAdded / 4, `second run added ${second.json.dataAdded} bytes, first ${first.json.dataAdded}`);

		const verify = await runJson(['verify', '--backup', target, '--password-file', password, '--json'], {cwd: root});
		assert.deepEqual([verify.json.damaged, verify.json.missing], [[], []]);
	} finally {
		server.kill('SIGTERM');
	}
});

test('retention keeps every snapshot of the last 30 days and never fewer than 2; it is shown before it is first applied', {skip: needsRestic, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const repo = path.join(tempDir(), 'restic-repo');
	const password = passwordFile();
	const run = async (time?: string) => withCatalog(root, async catalog => backupToRestic(libraryAt(root), catalog, {
		repository: {repo, passwordFile: password}, location: `restic:${repo}`, init: true, time,
	}));
	const day = 86_400_000;
	const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
	const first = await run(stamp(Date.now() - (60 * day)));
	assert.equal(first.retention.state, 'shown', 'the first backup shows the policy');
	assert.deepEqual(first.retention.removed, []);
	const libraryId = withCatalog(root, catalog => new BackupStore(catalog).knownLibraryId())!;
	// A simulated month and a half of daily backups, made the way Curate tags them (restic itself: fast).
	for (let ago = 45; ago >= 1; ago -= 2) {
		restic(repo, password, ['backup', '--quiet', '--tag', 'curate', '--tag', `library:${libraryId}`, '--time', stamp(Date.now() - (ago * day)), root]);
	}

	const before = JSON.parse(restic(repo, password, ['snapshots', '--json'])) as Array<{time: string}>;
	const last = await run();
	assert.equal(last.retention.state, 'applied');
	const after = JSON.parse(restic(repo, password, ['snapshots', '--json'])) as Array<{time: string}>;
	const within = (snapshot: {time: string}) => Date.parse(snapshot.time) > Date.now() - (30 * day);
	assert.equal(after.length, before.filter(snapshot => within(snapshot)).length + 1, 'every snapshot of the last 30 days, plus the new one');
	assert.ok(after.every(snapshot => within(snapshot)), 'nothing older than 30 days is kept');
	assert.equal(last.retention.removed.length, before.length + 1 - after.length);

	// restic counts the 30 days back from the newest snapshot. Here only the newest is within them; the one before is
	// 40 days older and stays all the same, because two are always kept; the oldest goes.
	const lonely = path.join(tempDir(), 'old-repo');
	const keepTwo = async (time?: string) => withCatalog(root, async catalog => backupToRestic(libraryAt(root), catalog, {
		repository: {repo: lonely, passwordFile: password}, location: `restic:${lonely}`, init: true, time,
	}));
	await keepTwo(stamp(Date.now() - (100 * day)));
	await keepTwo(stamp(Date.now() - (60 * day)));
	const third = await keepTwo(stamp(Date.now() - (20 * day)));
	const remaining = JSON.parse(restic(lonely, password, ['snapshots', '--json'])) as Array<{time: string}>;
	assert.equal(remaining.length, 2, 'never fewer than 2');
	assert.equal(third.retention.removed.length, 1);
	assert.deepEqual(remaining.map(snapshot => Math.round((Date.now() - Date.parse(snapshot.time)) / day)).sort((a, b) => a - b), [20, 60]);
});

test('a backup killed while restic runs leaves the repository usable and records nothing it did not finish', {skip: needsRestic || needsCorpus, timeout: 300_000}, async () => {
	const root = path.join(tempDir(), 'photos');
	copyTree(corpusDir, root);
	await scanRoot(root);
	const repo = path.join(tempDir(), 'restic-repo');
	const password = passwordFile();
	restic(repo, password, ['init']);
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'backup', '--to', `restic:${repo}`, '--password-file', password], {cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
	let output = '';
	child.stderr.on('data', chunk => {
		output += String(chunk);
	});
	child.stdout.on('data', chunk => {
		output += String(chunk);
	});
	// Wait until restic itself is running (a restic process whose parent is Curate), then kill the whole group.
	for (let tries = 0; tries < 600; tries++) {
		const running = spawnSync('pgrep', ['-g', String(child.pid), '-x', 'restic']).status === 0;
		if (running) {
			break;
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(50);
	}

	process.kill(-child.pid!, 'SIGKILL');
	await new Promise(resolve => child.on('close', resolve));
	const target = withCatalog(root, catalog => new BackupStore(catalog).findTarget(`restic:${repo}`));
	assert.equal(target?.lastSuccessAt ?? null, null, `no success is recorded (output: ${output})`);
	assert.equal(withCatalog(root, catalog => new BackupStore(catalog).coverage().get(0)), withCatalog(root, catalog => new BackupStore(catalog).sources().length));

	// restic check passes once stale locks are gone, and the next backup completes.
	const again = await runJson(['backup', '--to', `restic:${repo}`, '--password-file', password, '--json'], {cwd: root});
	assert.equal(again.result.code, 0, again.result.stderr);
	restic(repo, password, ['check']);
	const verify = await runJson(['verify', '--backup', `restic:${repo}`, '--password-file', password, '--json'], {cwd: root});
	assert.deepEqual([verify.json.damaged, verify.json.missing], [[], []]);
});

test('wrong password, no repository, an unreachable remote, no restic, no password: each one line and an exit code', {skip: needsRestic, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const repo = path.join(tempDir(), 'restic-repo');
	const password = passwordFile();
	restic(repo, password, ['init']);
	const oneLine = (result: {code: number | null; stderr: string}, pattern: RegExp) => {
		assert.notEqual(result.code, 0);
		// Progress lines may come before it; the failure itself is one line, the last.
		const lines = result.stderr.trim().split('\n').filter(line => !/^(checking|backing up|verifying): /.test(line));
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, pattern);
	};

	oneLine(await runCli(['backup', '--to', `restic:${repo}`, '--password-file', passwordFile('wrong')], {cwd: root}), /^curate: wrong password for the restic repository/);
	oneLine(await runCli(['backup', '--to', `restic:${path.join(tempDir(), 'nothing-here')}`, '--password-file', password], {cwd: root}), /^curate: no restic repository at .* --init/);
	oneLine(await runCli(['backup', '--to', 'restic:rest:http://127.0.0.1:9/photos', '--password-file', password], {cwd: root, timeoutMs: 240_000}), /^curate: (cannot reach|no restic repository at)/);
	oneLine(await runCli(['backup', '--to', `restic:${repo}`, '--password-file', password], {cwd: root, env: {CURATE_RESTIC: '/nonexistent/restic'}}), /^curate: restic is not installed: install it/);
	oneLine(await runCli(['backup', '--to', `restic:${repo}`], {cwd: root, env: {RESTIC_PASSWORD_FILE: '', RESTIC_PASSWORD_COMMAND: '', RESTIC_PASSWORD: ''}}), /^curate: restic needs the repository password/);
	oneLine(await runCli(['verify', '--backup', `restic:${repo}`, '--password-file', password], {cwd: root}), /^curate: .* holds no snapshot of this library/);
	assert.equal(fs.readdirSync(path.join(repo, 'snapshots')).length, 0, 'no failed run left a snapshot');
});

test('a restic repository on a full disk ends with one line, and the records claim nothing', {skip: needsRestic || needsSmallFs, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const disk = smallFs(1024 * 1024);
	try {
		const repo = path.join(disk.dir, 'repo');
		const password = passwordFile();
		restic(repo, password, ['init']);
		const result = await runCli(['backup', '--to', `restic:${repo}`, '--password-file', password], {cwd: root});
		assert.notEqual(result.code, 0);
		const lines = result.stderr.trim().split('\n').filter(line => !/^(checking|backing up): /.test(line));
		assert.deepEqual(lines.length, 1, result.stderr);
		assert.match(lines[0]!, /^curate: the disk holding the restic repository .* is full$/);
		assert.equal(withCatalog(root, catalog => new BackupStore(catalog).findTarget(`restic:${repo}`)?.lastSuccessAt ?? null), null);
	} finally {
		disk.release();
	}
});

test('restore --to DIR brings a snapshot\'s files into another folder and leaves the library untouched', {skip: needsRestic, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const repo = path.join(tempDir(), 'restic-repo');
	const password = passwordFile();
	await runCli(['backup', '--to', `restic:${repo}`, '--password-file', password, '--init'], {cwd: root});
	const file = withCatalog(root, catalog => new BackupStore(catalog).sources())[0]!;
	fs.rmSync(path.join(root, file.path));
	await scanRoot(root);
	const journalBefore = (await runCli(['journal'], {cwd: root})).stdout;
	const out = path.join(tempDir(), 'elsewhere');
	const result = await runJson(['restore', '--missing', '--from', `restic:${repo}`, '--password-file', password, '--to', out, '--json'], {cwd: root});
	assert.equal(result.result.code, 0, result.result.stderr);
	assert.equal(sha(path.join(out, file.path)), file.sha256);
	assert.equal(fs.existsSync(path.join(root, file.path)), false, 'the library is not touched');
	assert.equal((await runCli(['journal'], {cwd: root})).stdout, journalBefore, 'nothing journaled');
	const again = await runJson(['restore', '--missing', '--from', `restic:${repo}`, '--password-file', password, '--to', out, '--json'], {cwd: root});
	assert.match(again.json.skipped[0].reason, /already exists: left alone/);
});

test('verify --read 50% reads a different half of a restic repository each run', {skip: needsRestic, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const repo = path.join(tempDir(), 'restic-repo');
	const password = passwordFile();
	await runCli(['backup', '--to', `restic:${repo}`, '--password-file', password, '--init'], {cwd: root});
	const runs = [];
	for (let run = 0; run < 3; run++) {
		// eslint-disable-next-line no-await-in-loop
		const {json} = await runJson(['verify', '--backup', `restic:${repo}`, '--password-file', password, '--read', '50%', '--json'], {cwd: root});
		runs.push(json);
	}

	assert.deepEqual(runs.map(json => json.repository.subset), ['1/2', '2/2', '1/2']);
	const files = withCatalog(root, catalog => new BackupStore(catalog).sources()).length;
	assert.equal(runs[0].checked + runs[1].checked, files, 'the two halves together compare every file once');
	assert.ok(runs.every(json => json.damaged.length === 0 && json.missing.length === 0 && json.repository.ok));
});

test('status counts files in no backup, in only one and in two; show lists a file\'s backups', {skip: needsRestic, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const files = withCatalog(root, catalog => new BackupStore(catalog).sources()).length;
	let status = await runJson(['status', '--json'], {cwd: root});
	assert.equal(status.json.backups.inNoBackup, files);
	await runCli(['backup', '--to', path.join(tempDir(), 'mirror')], {cwd: root});
	status = await runJson(['status', '--json'], {cwd: root});
	assert.deepEqual([status.json.backups.inNoBackup, status.json.backups.inOneBackup], [0, files]);
	const repo = path.join(tempDir(), 'restic-repo');
	await runCli(['backup', '--to', `restic:${repo}`, '--password-file', passwordFile(), '--init'], {cwd: root});
	status = await runJson(['status', '--json'], {cwd: root});
	assert.deepEqual([status.json.backups.inNoBackup, status.json.backups.inOneBackup, status.json.backups.inTwoOrMore], [0, 0, files]);
	assert.equal(status.json.backups.targets.length, 2);
	assert.ok(status.json.backups.targets.every((target: {overdue: boolean}) => !target.overdue));

	const first = withCatalog(root, catalog => new BackupStore(catalog).sources())[0]!;
	const show = await runCli(['show', first.path], {cwd: root});
	assert.match(show.stdout, /^(backups)?\s+restic:/m);
	assert.match(show.stdout, /\/mirror: \d{4}-\d\d-\d\d/);
	const json = await runJson(['show', first.path, '--json'], {cwd: root});
	assert.equal(json.json.backups.length, 2);
	assert.ok(json.json.backups.every((backup: {current: boolean}) => backup.current));

	// A target older than its maximum age is a warning.
	fs.writeFileSync(path.join(root, '.curate/config.json'), JSON.stringify({backup: {maxAgeDays: 0.000_001}}));
	await sleep(200);
	const stale = await runCli(['status'], {cwd: root});
	assert.match(stale.stdout, /warning: older than/);
});
