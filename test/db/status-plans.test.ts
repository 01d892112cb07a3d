import assert from 'node:assert/strict';
import path from 'node:path';
import {Writable} from 'node:stream';
import test from 'node:test';
import Database from 'better-sqlite3';
import {run} from '../../commands/status.js';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {HealthStore} from '../../source/db/health.js';
import {migrations} from '../../source/db/migrations.js';
import {libraryStatus} from '../../source/health/status.js';
import {libraryAt} from '../../source/library.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {catalogBefore, queryPlan} from '../helpers/sql.js';
import {tempDir} from '../helpers/temp.js';

type Executed = {sql: string; args: unknown[]};

/** Every statement `use` runs, with its arguments, except those the duplicate finder runs (its own tests pin those). */
async function executedBy(use: () => Promise<unknown>): Promise<Executed[]> {
	const executed: Executed[] = [];
	const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
	const originals = {get: statement.get!, all: statement.all!, iterate: statement.iterate!};
	for (const [name, original] of Object.entries(originals)) {
		statement[name] = function (this: {source: string}, ...args: unknown[]) {
			if (!/[/\\](dupes[/\\]|dupe-store)/.test(new Error('where').stack ?? '')) {
				executed.push({sql: this.source, args});
			}

			return original.apply(this, args);
		};
	}

	try {
		await use();
	} finally {
		Object.assign(statement, originals);
	}

	return executed;
}

/**
 * A library of `size` synthetic photos with some of everything status counts: read errors, verified files, backup
 * copies (current and stale), located photos, place tags and AI tags.
 */
function statusLibrary(size: number) {
	const root = tempDir('curate-status-plans-');
	const library = libraryAt(root);
	buildSyntheticCatalog(library.catalogPath, size);
	const catalog = Catalog.open(library.catalogPath);
	const sql = connectionOf(catalog);
	sql.exec(`
		UPDATE files SET error = 'not a photo: ' || id WHERE id % 17 = 0 AND status = 'present';
		UPDATE files SET sha256 = NULL WHERE id % 23 = 0;
		UPDATE files SET status = 'missing', trashed_batch = 1 WHERE id % 29 = 0;
		UPDATE files SET status = 'missing' WHERE id % 31 = 0;
		-- Keys whose order differs between UTF-8 bytes (SQLite's) and UTF-16 code units, and two formats of equal bytes.
		UPDATE files SET taken_at = '😀😀😀😀-01-01' WHERE id IN (1, 2);
		UPDATE files SET taken_at = '０００１-01-01' WHERE id = 3;
		UPDATE files SET format = 'Ä', size = 1000 WHERE id = 4;
		UPDATE files SET format = 'a', size = 1000 WHERE id = 5;
		INSERT INTO file_checks (file_id, verified_at, outcome) SELECT id, '2026-01-01T00:00:00Z', CASE WHEN id % 6 = 0 THEN 'damaged' ELSE 'ok' END FROM files WHERE id % 3 = 0;
		INSERT INTO backup_targets (kind, location, last_success_at) VALUES ('mirror', '/backup/a', '2026-01-01T00:00:00Z'), ('mirror', '/backup/b', NULL);
		INSERT INTO backup_copies (file_id, target_id, sha256, size, mtime_ms, backed_up_at)
			SELECT id, 1, CASE WHEN id % 5 = 0 THEN 'stale' ELSE sha256 END, size, mtime_ms, '2026-01-01T00:00:00Z' FROM files WHERE sha256 IS NOT NULL AND id % 2 = 0;
		INSERT INTO backup_copies (file_id, target_id, sha256, size, mtime_ms, backed_up_at)
			SELECT id, 2, sha256, size, mtime_ms, '2026-01-01T00:00:00Z' FROM files WHERE sha256 IS NOT NULL AND id % 4 = 0;
		INSERT INTO places (file_id, lat, lon, country_code, country, located_at)
			SELECT id, CASE WHEN id % 7 = 0 THEN gps_lat + 1 ELSE gps_lat END, gps_lon, 'NO', CASE WHEN id % 2 = 0 THEN 'Norway' ELSE 'Chile' END, '2026-01-01T00:00:00Z'
			FROM files WHERE gps_lat IS NOT NULL AND id % 3 != 1;
		INSERT INTO tags (sha256, tag, source, state, confidence, updated_at)
			SELECT sha256, 'beach', 'clip', CASE WHEN id % 10 = 0 THEN 'rejected' ELSE 'suggested' END, 0.9, '2026-01-01T00:00:00Z' FROM files WHERE sha256 IS NOT NULL AND id % 5 = 0;
	`);
	return {library, catalog};
}

/** `curate status --json` as the command prints it, run in this process. */
async function statusJson(root: string): Promise<string> {
	let printed = '';
	const stdout = new Writable({
		write(chunk, _encoding, done) {
			printed += String(chunk);
			done();
		},
	}) as unknown as NodeJS.WriteStream;
	const code = await run({input: [], flags: {json: true, library: root}, stdout, stderr: stdout, cwd: root});
	assert.equal(code, 0);
	return printed;
}

test('curate status reads files only through covering indexes, never a photo\'s row, and prints the same as from the table', async () => {
	// Each of status's seven counts read every row of files, about 2.2 KB a photo: 44 s of CPU at a million (issue 15).
	const {library, catalog} = statusLibrary(400);
	catalog.close();
	const executed = await executedBy(async () => statusJson(library.root));
	const readsFiles = executed.filter(({sql}) => /\bfiles\b/.test(sql));
	assert.ok(readsFiles.length >= 9, `${readsFiles.length} statements read files: totals, format, year, errors, never verified, backup coverage, places, tags`);
	const check = Catalog.open(library.catalogPath);
	const plans: string[] = [];
	try {
		for (const {sql, args} of readsFiles) {
			const plan = queryPlan(connectionOf(check), sql, args);
			plans.push(plan.join(' | '));
			for (const step of plan.filter(detail => /^(SCAN|SEARCH) (files|f)\b/.test(detail))) {
				// A covering index has every column the statement reads; files_read_errors lists only files with an error.
				assert.match(step, /USING COVERING INDEX|USING INDEX files_read_errors$/, `${sql}\n${plan.join(' | ')}`);
			}
		}
	} finally {
		check.close();
	}

	assert.ok(plans.filter(plan => /COVERING INDEX files_summary/.test(plan)).length >= 6, plans.join('\n'));
	const fast = await statusJson(library.root);
	const parsed = JSON.parse(fast) as {files: number; errorCount: number; neverVerified: number; knownDamaged: number; missing: number; tagged: number; backups: {inNoBackup: number; inOneBackup: number; inTwoOrMore: number}; places: {located: number; pending: number; countries: number}};
	for (const [name, value] of Object.entries({
		files: parsed.files, errors: parsed.errorCount, neverVerified: parsed.neverVerified, damaged: parsed.knownDamaged, tagged: parsed.tagged, inNoBackup: parsed.backups.inNoBackup,
		inOneBackup: parsed.backups.inOneBackup, inTwoOrMore: parsed.backups.inTwoOrMore, located: parsed.places.located, pending: parsed.places.pending, countries: parsed.places.countries - 1,
	})) {
		assert.ok(value > 0, `the library has some of ${name}: ${value}`);
	}

	// What status counted before migration 23, statement for statement, against the one pass that replaced three.
	const store = Catalog.open(library.catalogPath);
	try {
		const sql = connectionOf(store);
		const health = new HealthStore(store);
		const before = {
			byFormat: sql.prepare("SELECT format AS key, count(*) AS files, coalesce(sum(size), 0) AS bytes FROM files WHERE status = 'present' GROUP BY format ORDER BY bytes DESC, key").all(),
			byYear: sql.prepare(`SELECT coalesce(substr(taken_at, 1, 4), 'unknown') AS key, count(*) AS files, coalesce(sum(size), 0) AS bytes
				FROM files WHERE status = 'present' GROUP BY key ORDER BY key`).all(),
			totals: sql.prepare(`SELECT sum(status = 'present') AS files, coalesce(sum(CASE WHEN status = 'present' THEN size END), 0) AS bytes,
				sum(status = 'present' AND error IS NOT NULL) AS errors, sum(status = 'missing' AND trashed_batch IS NULL) AS missing FROM files`).get(),
		};
		const {files, bytes, byFormat, byYear} = health.tallies();
		assert.deepEqual({byFormat, byYear, totals: {files, bytes, ...health.problemCounts()}}, before);
		assert.deepEqual(byYear.map(row => row.key).slice(-2), ['０００１', '😀😀😀😀'], 'ordered by UTF-8 bytes, as SQLite orders them');
		assert.deepEqual(byFormat.filter(row => row.bytes === 1000).map(row => row.key), ['a', 'Ä']);
		assert.ok(health.problemCounts().missing > 0 && health.problemCounts().errors > 0);
	} finally {
		store.close();
	}

	// Without the summary index SQLite reads the table itself: the same answers, only slower (a backup's age in days
	// is the one figure that moves between the two runs).
	const slow = Catalog.open(library.catalogPath);
	connectionOf(slow).exec('DROP INDEX files_summary');
	slow.close();
	const steady = (json: string) => json.replaceAll(/"ageDays":[\d.]+/g, '"ageDays":340');
	assert.equal(steady(await statusJson(library.root)), steady(fast));
});

test('migration 23 gives a catalog made before it the status indexes, and status lists its read errors', () => {
	const file = path.join(tempDir('curate-status-migrate-'), 'catalog.db');
	const old = catalogBefore(file, 23);
	const insert = old.prepare(`INSERT INTO files (path, size, mtime_ms, sha256, format, kind, error, status, first_seen_at, scanned_at)
		VALUES (?, 10, 0, 'aa', 'jpeg', 'photo', ?, ?, '2026-01-01', '2026-01-01')`);
	insert.run('b.jpg', 'truncated', 'present');
	insert.run('a.jpg', 'not a photo', 'present');
	insert.run('c.jpg', 'gone', 'missing');
	insert.run('d.jpg', null, 'present');
	old.close();
	const catalog = Catalog.open(file);
	try {
		const sql = connectionOf(catalog);
		assert.equal(sql.pragma('user_version', {simple: true}), migrations.at(-1)!.version);
		assert.deepEqual(
			sql.prepare<[], {name: string}>("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN ('files_summary', 'files_read_errors') ORDER BY name").all().map(row => row.name),
			['files_read_errors', 'files_summary'],
		);
		assert.deepEqual(libraryStatus(libraryAt(path.dirname(file)), catalog).errors, [{path: 'a.jpg', error: 'not a photo'}, {path: 'b.jpg', error: 'truncated'}]);
	} finally {
		catalog.close();
	}
});
