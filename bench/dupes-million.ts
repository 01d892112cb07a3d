/**
 * npm run bench:dupes-million: duplicate finding end to end at a million photos (issue 15). Builds a real catalog
 * (the real migrations, a real SQLite file in a temp dir) of synthetic photos with fingerprints shaped like scan's
 * (test/helpers/synthetic-catalog.ts: 15 % near copies, bursts, exact copies, RAW and Live Photo companions), then
 * runs the real CLI as a user does, each in its own process:
 *
 *   - `curate dupes --json`: wall time and peak memory (max RSS from /usr/bin/time -v), on a catalog with no kept
 *     search (the cold run, which keeps what it found: migration 18) and again with the clusters kept; for a whole
 *     search, the time from each stage's first progress line to the next's;
 *   - `curate review` in a tmux pane at 80x24: time until the first cluster is on screen, and peak memory;
 *   - `curate dupes --json` after the changes a kept search follows without a whole search (source/dupes/refresh.ts):
 *     a "not duplicates" decision (`curate dupes --not-duplicates ID`, the real command), 10 photos added as a scan
 *     writes them (rows copied from photos of the catalog, five with the same bytes, five with bytes of their own),
 *     then both taken back (`curate undo`, the rows removed), so a reused catalog ends with the clusters it began with.
 *
 *   node --import tsx bench/dupes-million.ts [--size 1000000] [--library DIR] [--keep] [--build-only] [--no-review] [--no-dupes] [--no-changes]
 *
 * The CLI runs as a user's install runs it: the compiled `build/source/cli.js` that package.json's `bin` names (the
 * bench runs `npm run build` first), not through the tsx loader the tests use, which adds about 0.6 s to every start.
 *
 * --library reuses a catalog built by an earlier --keep run (the build takes minutes at a million), or builds one there,
 * and --no-dupes times review alone, on the clusters an earlier run kept. Targets on the 2-core machine: dupes ≤ 20 s
 * and ≤ 1.5 GB, review's first screen ≤ 3 s. The machine's load average is printed beside each figure, since eight
 * people share it.
 */
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import Database from 'better-sqlite3';
import {libraryAt} from '../source/library.js';
import {copyFileRow} from '../test/helpers/file-rows.js';
import {buildSyntheticCatalog} from '../test/helpers/synthetic-catalog.js';

const {values} = parseArgs({
	options: {
		size: {type: 'string', default: '1000000'},
		library: {type: 'string'},
		keep: {type: 'boolean', default: false},
		'no-review': {type: 'boolean', default: false},
		'no-dupes': {type: 'boolean', default: false},
		'build-only': {type: 'boolean', default: false},
		'no-changes': {type: 'boolean', default: false},
	},
});

const cliEntry = path.resolve(import.meta.dirname, '../build/source/cli.js');
const load = () => os.loadavg()[0]!.toFixed(1);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const size = Number(values.size);
const root = values.library ? path.resolve(values.library) : fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-million-'));
const library = libraryAt(root);
if (!values.library && !values.keep) {
	process.on('exit', () => fs.rmSync(root, {recursive: true, force: true}));
}

console.log(`duplicates end to end (node ${process.version}, ${os.cpus().length} cores, load ${load()})`);
const reused = values.library !== undefined && fs.existsSync(library.catalogPath);
if (reused) {
	console.log(`catalog: ${library.catalogPath} (${(fs.statSync(library.catalogPath).size / 1024 ** 3).toFixed(2)} GB, reused)`);
} else {
	fs.mkdirSync(library.dir, {recursive: true});
	const started = performance.now();
	const cpu = process.cpuUsage();
	const stats = buildSyntheticCatalog(library.catalogPath, size, {
		onProgress(rows) {
			if (rows % 200_000 === 0) {
				process.stderr.write(`  built ${rows.toLocaleString('en')} rows (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
			}
		},
	});
	const seconds = (performance.now() - started) / 1000;
	const used = process.cpuUsage(cpu);
	console.log(
		`build: ${stats.files.toLocaleString('en')} files in ${seconds.toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, ${Math.round(stats.files / seconds).toLocaleString('en')} rows/s), ` +
			`${(fs.statSync(library.catalogPath).size / 1024 ** 3).toFixed(2)} GB; ${stats.originals.toLocaleString('en')} originals, ` +
			`${stats.nearCopies.toLocaleString('en')} near copies (${((stats.nearCopies / stats.files) * 100).toFixed(1)} %), ${stats.burstFrames.toLocaleString('en')} burst frames, ` +
			`${stats.exactCopies.toLocaleString('en')} exact and ${stats.pixelCopies.toLocaleString('en')} same-pixel copies, ${stats.companions.toLocaleString('en')} companions, ` +
			`${stats.missing.toLocaleString('en')} missing, ${stats.distinctPairs} "not duplicates" pairs` +
			(values.keep ? `\n  kept at ${root} (reuse with --library)` : ''),
	);
}

if (values['build-only']) {
	process.exit(0);
}

// The compiled CLI, fresh from this checkout's sources.
const built = spawnSync('npm', ['run', '--silent', 'build'], {cwd: path.resolve(import.meta.dirname, '..'), stdio: 'inherit'});
if (built.status !== 0) {
	console.log('npm run build failed');
	process.exit(1);
}

/** Max RSS in kB from a /usr/bin/time -v report. */
function maxRss(report: string): number {
	return Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? Number.NaN);
}

/** User plus system CPU seconds from a /usr/bin/time -v report: the work done, which the machine's load does not stretch. */
function cpuSeconds(report: string): number {
	const field = (name: string) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(report)?.[1] ?? Number.NaN);
	return field('User') + field('System');
}

const timeFile = path.join(os.tmpdir(), `curate-bench-million-time-${process.pid}`);
process.on('exit', () => fs.rmSync(timeFile, {force: true}));

// `curate dupes --json`, its output to a file as a user's redirect would: first on a catalog with no kept search (the
// cold run: the whole search, then keeping what it found), then again, as the user runs it next while nothing changed.
type Found = Array<{id: string; kind: string; members: Array<{path: string; companions: string[]}>}>;

/**
 * The stages of a search as its progress lines name them (source/ui/progress-lines.ts), each timed from its first line
 * to the next stage's: where a run's time went, without a profiler. The first runs from the start of the process.
 */
const stages = [
	{name: 'reading and grouping', line: ''},
	{name: 'candidate lookup', line: 'finding duplicates: looking up'},
	{name: 'verification', line: 'finding duplicates: verified'},
	{name: 'ranking', line: 'finding duplicates: ranked'},
	{name: 'keeping and printing', line: 'finding duplicates: keeping'},
] as const;

async function timeDupes(label: string): Promise<Found> {
	const out = path.join(os.tmpdir(), `curate-bench-million-${process.pid}.json`);
	const before = load();
	const started = performance.now();
	// When each stage's first progress line came, the lines passed on as they come.
	const seen = new Map<string, number>([[stages[0].name, started]]);
	const code = await new Promise<number | null>((resolve, reject) => {
		const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, process.execPath, cliEntry, 'dupes', '--json', '--library', root], {
			stdio: ['ignore', fs.openSync(out, 'w'), 'pipe'],
			env: {...process.env, NO_COLOR: '1'},
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			process.stderr.write(chunk);
			const text = chunk.toString('utf8');
			for (const stage of stages) {
				if (stage.line && !seen.has(stage.name) && text.includes(stage.line)) {
					seen.set(stage.name, performance.now());
				}
			}
		});
		child.on('error', reject);
		child.on('close', resolve);
	});
	const ended = performance.now();
	const seconds = (ended - started) / 1000;
	const reached = stages.filter(stage => seen.has(stage.name));
	const report = fs.readFileSync(timeFile, 'utf8');
	const rss = maxRss(report);
	const text = fs.readFileSync(out, 'utf8');
	fs.rmSync(out, {force: true});
	if (code !== 0) {
		console.log(`${label}: dupes --json failed (exit ${code})`);
		process.exit(1);
	}

	const {clusters} = JSON.parse(text) as {clusters: Found};
	const byKind = new Map<string, number>();
	for (const cluster of clusters) {
		byKind.set(cluster.kind, (byKind.get(cluster.kind) ?? 0) + 1);
	}

	console.log(
		`${label}: dupes --json: ${seconds.toFixed(1)} s (CPU ${cpuSeconds(report).toFixed(1)} s), peak ${mb(rss)} (targets 20 s, 1536 MB: ${seconds <= 20 && rss <= 1536 * 1024 ? 'met' : 'NOT met'}); ` +
			`${clusters.length.toLocaleString('en')} clusters (${[...byKind].map(([kind, count]) => `${count.toLocaleString('en')} ${kind}`).join(', ')}), ` +
			`${clusters.reduce((sum, cluster) => sum + cluster.members.length, 0).toLocaleString('en')} files, ${(text.length / 1024 ** 2).toFixed(0)} MB of JSON; load ${before} → ${load()}`,
	);
	// A whole search passes every stage; a kept search or a refresh names only some (or none) of them.
	if (reached.length > 1) {
		const times = reached.map((stage, index) => {
			const next = reached[index + 1];
			const until = next ? seen.get(next.name)! : ended;
			return `${stage.name} ${((until - seen.get(stage.name)!) / 1000).toFixed(1)} s`;
		});
		console.log(`  stages: ${times.join(', ')}`);
	}

	return clusters;
}

/** Runs the real CLI quietly; exits the bench when it fails. */
function cli(...args: string[]): void {
	const run = spawnSync(process.execPath, [cliEntry, ...args, '--library', root], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
	if (run.status !== 0) {
		console.log(`curate ${args.join(' ')} failed (exit ${run.status}): ${run.stderr.trim()}`);
		process.exit(1);
	}
}

/**
 * The changes a kept search follows without a whole search, each timed by the `dupes --json` after it: a decision, 10
 * photos added, both taken back.
 */
async function timeChanges(clusters: Found): Promise<void> {
	const plain = clusters.filter(cluster => cluster.members.every(member => member.companions.length === 0));
	const decided = plain.filter(cluster => cluster.kind === 'near' && cluster.members.length >= 3)[100] ?? plain[0]!;
	cli('dupes', '--not-duplicates', decided.id);
	await timeDupes('after a "not duplicates" decision (a refresh)');
	// Rows copied as a scan writes them: every column of the photo but its path (and, for five, its bytes' hashes).
	const db = new Database(library.catalogPath);
	const sources = [...plain.filter((_, index) => index % 997 === 5).slice(0, 5).map(cluster => cluster.members[0]!.path)];
	// And five photos from the middle of the catalog, most of them in no cluster (not Live Photo stills: a copy would
	// share the still's Live Photo id).
	const loners = db
		.prepare<[], {path: string}>("SELECT path FROM files WHERE status = 'present' AND kind = 'image' AND live_photo_id IS NULL ORDER BY id LIMIT 5 OFFSET (SELECT count(*) * 2 / 5 FROM files)")
		.all();
	const added: string[] = [];
	for (const [index, from] of [...sources, ...loners.map(row => row.path)].entries()) {
		const to = `Incoming/bench-added-${index}.jpg`;
		const own = index.toString(16).padStart(64, 'b');
		copyFileRow(db, from, to, index % 2 === 1 ? {sha256: own, content_hash: own} : {});
		added.push(to);
	}

	db.close();
	await timeDupes('after 10 photos added (a refresh)');
	cli('undo');
	const remove = new Database(library.catalogPath);
	const drop = remove.prepare('DELETE FROM files WHERE path = ?');
	for (const file of added) {
		drop.run(file);
	}

	remove.close();
	await timeDupes('after both were taken back (a refresh)');
}

// A reused catalog may hold the clusters an earlier run kept: its first run is then not a cold one.
let kept: Found | undefined;
if (!values['no-dupes']) {
	await timeDupes(reused ? 'first run (reused catalog: cold unless an earlier run kept clusters)' : 'cold (nothing kept)');
	kept = await timeDupes('again (clusters kept)');
}

// `curate review` in a real terminal: from launch until the first cluster is on screen, then q.
if (!values['no-review'] && spawnSync('tmux', ['-V']).status === 0) {
	const socket = `curate-bench-million-${process.pid}`;
	const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	process.on('exit', () => tmux('kill-server'));
	const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
	const command = `/usr/bin/time -v -o ${quote(timeFile)} ${quote(process.execPath)} ${quote(cliEntry)} review --library ${quote(root)}; echo EXIT:$?; sleep 600`;
	const before = load();
	const started = performance.now();
	tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'review', '-x', '80', '-y', '24', 'env', '-u', 'NO_COLOR', 'TERM=xterm-256color', 'sh', '-c', command);
	const waitFor = async (pattern: RegExp, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const screen = tmux('capture-pane', '-p', '-t', 'review').stdout;
			if (pattern.test(screen) || Date.now() > deadline) {
				return screen;
			}

			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	};

	const first = await waitFor(/cluster 1 of [\d,]+|EXIT:\d+/, 300_000);
	const seconds = (performance.now() - started) / 1000;
	const shown = /cluster 1 of ([\d,]+)/.exec(first);
	tmux('send-keys', '-t', 'review', 'q');
	const exited = await waitFor(/EXIT:\d+/, 60_000);
	const report = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
	const rss = maxRss(report);
	console.log(
		shown
			? `review: first screen (cluster 1 of ${shown[1]}) after ${seconds.toFixed(1)} s (target 3 s: ${seconds <= 3 ? 'met' : 'NOT met'}), peak ${mb(rss)} (whole session, CPU ${cpuSeconds(report).toFixed(1)} s); ${/EXIT:0/.test(exited) ? 'quit cleanly' : 'did NOT quit cleanly'}; load ${before} → ${load()}`
			: `review: no cluster on screen after ${seconds.toFixed(1)} s:\n${first}`,
	);
}

if (kept && !values['no-changes']) {
	await timeChanges(kept);
}
