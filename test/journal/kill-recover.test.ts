import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {Catalog} from '../../source/db/catalog.js';
import {JournalStore} from '../../source/db/journal-store.js';
import {Journal} from '../../source/journal/journal.js';
import {kindOf, operationKinds} from '../../source/journal/kinds/index.js';
import {libraryAt} from '../../source/library.js';
import {tsxLoader} from '../helpers/cli.js';
import {catalogSnapshot, everyKindLibrary} from '../helpers/every-kind.js';
import {cardDirOf, diskState, journalCard, journalLibrary, type TestFile} from '../helpers/journal-library.js';
import {connectionOf} from '../../source/db/connection.js';

const child = path.resolve(import.meta.dirname, '../helpers/journal-kill-child.ts');

// Recovery may re-apply a metadata write, which runs exiftool in this process.
after(async () => endExiftool());

/** A fresh library for one run: its root, catalogued files and card files, and (for `check`) the state before. */
type Setup = {root: string; files: TestFile[]; card: TestFile[]; before?: {readonly disk: Map<string, string>; readonly catalog: string}};

/** One kind of batch the child applies and undoes. */
type Scenario = {
	readonly name: string;
	readonly child: string;
	readonly env: NodeJS.ProcessEnv;
	/** A fresh library (and card) for one run. */
	readonly setup: () => Setup | Promise<Setup>;
	/** Whether every file's bytes must exist exactly once (no copies are made). */
	readonly once: boolean;
	readonly extra?: Extra;
	/**
	 * Checks a run after recovery instead of `assertConsistent`, given the catalog as the uninterrupted run left it
	 * after its first batch; returns what recovery did.
	 */
	readonly check?: (setup: Setup, where: string, afterFirstBatch: string | undefined) => Promise<string[]>;
};

function runChild(root: string, scenario: Scenario, env: NodeJS.ProcessEnv = {}) {
	return spawnSync(process.execPath, ['--import', tsxLoader, child, root, scenario.child], {env: {...process.env, ...scenario.env, ...env}, encoding: 'utf8', timeout: 60_000});
}

async function killChild(root: string, scenario: Scenario, step: number): Promise<{signal: NodeJS.Signals | null; stderr: string}> {
	return new Promise((resolve, reject) => {
		const env = {...process.env, ...scenario.env, CURATE_TEST_KILL_AT: String(step)};
		const process_ = spawn(process.execPath, ['--import', tsxLoader, child, root, scenario.child], {env, stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		process_.stderr.setEncoding('utf8').on('data', chunk => {
			stderr += chunk;
		});
		process_.on('error', reject);
		process_.on('close', (_code, signal) => {
			resolve({signal, stderr});
		});
	});
}

/** A card's files as absolute path → SHA-256. */
function cardState(root: string): Map<string, string> {
	const dir = cardDirOf(libraryAt(root));
	return fs.existsSync(dir) ? new Map([...diskState(dir)].map(([file, sha]) => [path.join(dir, file), sha])) : new Map();
}

/**
 * After recovery: each library file's bytes exactly once on disk; each card file's bytes exactly once in the library
 * or on the card (plus at most one copy in the trash, where an undone move-in leaves the library copy); every
 * catalog row where its bytes are; no batch left open; every operation's state agreeing with the disk.
 */
async function assertConsistent(scenario: Scenario, root: string, files: TestFile[], card: TestFile[], where: string) {
	const library = libraryAt(root);
	const catalog = Catalog.open(library.catalogPath);
	try {
		const journal = await Journal.open(library, catalog);
		const disk = diskState(root);
		const onCard = cardState(root);
		const cardBefore = new Map(card.map(file => [file.path, file.sha256]));
		for (const file of [...disk.keys(), ...onCard.keys()]) {
			assert.doesNotMatch(file, /\.curate-partial$/, `${where}: a partial copy was left behind`);
		}

		const everywhere = [...disk, ...onCard];
		for (const file of scenario.once ? files : []) {
			const copies = everywhere.filter(([, sha]) => sha === file.sha256).map(([at]) => at);
			assert.equal(copies.length, 1, `${where}: ${file.path} exists ${copies.length} times (${copies.join(', ')})`);
		}

		let trashedCopies = 0;
		for (const file of scenario.once ? card : []) {
			const copies = everywhere.filter(([at, sha]) => sha === file.sha256 && !at.startsWith('.curate/trash/')).map(([at]) => at);
			assert.equal(copies.length, 1, `${where}: ${file.path} exists ${copies.length} times outside the trash (${copies.join(', ')})`);
			const inTrash = [...disk].filter(([at, sha]) => sha === file.sha256 && at.startsWith('.curate/trash/')).length;
			assert.ok(inTrash <= 1, `${where}: ${file.path} is in the trash ${inTrash} times`);
			trashedCopies += inTrash;
		}

		if (scenario.once) {
			assert.equal(disk.size + onCard.size, files.length + card.length + trashedCopies, `${where}: unexpected files on disk`);
		}

		const rows = connectionOf(catalog).prepare('SELECT path, sha256, status, trashed_batch, rating FROM files').all() as Array<{path: string; sha256: string; status: string; trashed_batch: number | null; rating: number | null}>;
		for (const file of files) {
			const count = rows.filter(row => row.sha256 === file.sha256).length;
			assert.ok(scenario.once ? count === 1 : count >= 1, `${where}: ${file.path} has ${count} catalog rows`);
		}

		for (const row of rows) {
			assert.equal(disk.get(row.path), row.sha256, `${where}: the catalog puts ${row.path} where its bytes are not`);
			assert.equal(row.status === 'present', row.trashed_batch === null, `${where}: ${row.path} presence`);
			assert.equal(row.path.startsWith('.curate/trash/'), row.trashed_batch !== null, `${where}: ${row.path} trash state`);
		}

		const store = new JournalStore(catalog);
		const [batch] = store.allBatches();
		assert.ok(batch, `${where}: the batch was journaled`);
		assert.equal(store.unfinishedBatches().length, 0, `${where}: a batch is still open`);
		// The journal agrees with the disk: from the files before the batch and each operation's state, the disk is
		// known exactly, except for copies an undo (or a rollback) left in the trash.
		const expected = new Map<string, string | undefined>([...files.map(file => [file.path, file.sha256] as const), ...card.map(file => [file.path, file.sha256] as const), ...(scenario.extra?.() ?? [])]);
		const optional = new Map<string, string[]>();
		const trashOf = (relative: string) => `.curate/trash/${batch.id}/${relative}`;
		for (const row of store.operations(batch.id)) {
			const op = row.op;
			const applied = row.state === 'applied';
			switch (op.kind) {
				case 'trash': {
					expected.set(applied ? trashOf(op.path) : op.path, op.sha256);
					expected.set(applied ? op.path : trashOf(op.path), undefined);
					break;
				}

				case 'move': {
					expected.set(applied ? op.to : op.from, op.sha256);
					expected.set(applied ? op.from : op.to, undefined);
					break;
				}

				case 'move-in':
				case 'copy': {
					expected.set(op.to, applied ? op.sha256 : undefined);
					if (op.kind === 'move-in') {
						expected.set(op.source, applied ? undefined : op.sha256);
					}

					optional.set(trashOf(op.to), [op.sha256]);
					break;
				}

				case 'write-sidecar': {
					expected.set(op.path, applied ? op.afterSha256 : op.beforeSha256 ?? undefined);
					// The trash may hold the sidecar undo moved there, or the one a rewrite replaced (kept there first).
					optional.set(trashOf(op.path), [op.afterSha256, ...(op.beforeSha256 ? [op.beforeSha256] : [])]);
					const photo = rows.find(candidate => candidate.path === op.photo);
					assert.equal(photo?.rating, (applied ? op.fieldsAfter : op.fieldsBefore)?.rating, `${where}: the rating of ${op.photo} with its sidecar ${row.state}`);
					break;
				}

				default: {
					assert.fail(`${where}: the kill test does not model ${op.kind}`);
				}
			}
		}

		const actual = new Map([...disk, ...onCard]);
		for (const [file, sha] of expected) {
			assert.equal(actual.get(file), sha, `${where}: ${file} should ${sha ? 'hold its bytes' : 'not be there'} (journal: ${store.operations(batch.id).map(row => `${row.seq} ${row.op.kind} ${row.state}`).join(', ')})`);
		}

		for (const [file, sha] of actual) {
			assert.ok(expected.has(file) || optional.get(file)?.includes(sha), `${where}: unexpected file ${file}`);
		}

		assert.ok(['rolled-back', 'applied', 'undone'].includes(batch.state), `${where}: batch ended ${batch.state}`);
		if (batch.state === 'undone' || batch.state === 'rolled-back') {
			assert.deepEqual(new Set(rows.filter(row => row.status === 'present').map(row => row.path)), new Set(files.map(file => file.path)));
			assert.deepEqual(onCard, cardBefore, `${where}: the card is as it was`);
		}

		return journal.recovered;
	} finally {
		catalog.close();
	}
}

/** Files outside the catalog that a scenario's library starts with (sidecars), as path → SHA-256. */
type Extra = () => Array<readonly [string, string]>;

/** Kills a fresh run at each of its checkpoints in turn and checks every recovery. */
async function killEverywhere(scenario: Scenario): Promise<void> {
	const probe = await scenario.setup();
	const snapshot = path.join(path.dirname(probe.root), 'after-first-batch.json');
	const dry = runChild(probe.root, scenario, {CURATE_TEST_SNAPSHOT: snapshot});
	assert.equal(dry.status, 0, dry.stderr);
	const afterFirstBatch = fs.existsSync(snapshot) ? fs.readFileSync(snapshot, 'utf8') : undefined;
	await scenario.check?.(probe, `${scenario.name} uninterrupted`, afterFirstBatch);
	const steps = Number(dry.stdout.trim());
	assert.ok(steps >= 8, `the run passes ${steps} checkpoints`);
	let recoveries = 0;
	// Two children at a time: the machine has two cores, and each child spends most of its life starting up.
	for (let k = 1; k <= steps; k += 2) {
		const runs = [k, k + 1].filter(step => step <= steps).map(async step => {
			const setup = await scenario.setup();
			const {root, files, card} = setup;
			const killed = await killChild(root, scenario, step);
			assert.equal(killed.signal, 'SIGKILL', `step ${step}: the child should have been killed (${killed.stderr})`);
			const where = `${scenario.name} kill at step ${step}/${steps}`;
			return scenario.check ? scenario.check(setup, where, afterFirstBatch) : assertConsistent(scenario, root, files, card, where);
		});
		// eslint-disable-next-line no-await-in-loop
		for (const recovered of await Promise.all(runs)) {
			recoveries += recovered.length;
		}
	}

	// Killed after the undo finished (the last steps), or between the batch and the undo, there is nothing to recover.
	assert.ok(recoveries >= steps - 3, `recovery settled ${recoveries} of ${steps} interrupted runs`);
	console.log(`${scenario.name}: ${steps} kill points, ${recoveries} recoveries`);
}

/**
 * After recovery of a run of every registered kind: no batch left open; the disk exactly what the journal says, from
 * the files before the run, each operation's state and its kind's footprint (plus what the trash may keep); the
 * catalog as before the first batch, or as the uninterrupted run left it after that batch when it ended applied.
 */
async function assertEveryKindConsistent(setup: Setup, where: string, afterFirstBatch: string | undefined): Promise<string[]> {
	const library = libraryAt(setup.root);
	const catalog = Catalog.open(library.catalogPath);
	try {
		const journal = await Journal.open(library, catalog);
		const store = new JournalStore(catalog);
		assert.equal(store.unfinishedBatches().length, 0, `${where}: a batch is still open`);
		const actual = new Map([...diskState(setup.root), ...cardState(setup.root)]);
		for (const file of actual.keys()) {
			assert.doesNotMatch(file, /\.curate-partial$/, `${where}: a partial copy was left behind`);
		}

		// The first batch is the setup's (it trashed the files the purges delete).
		const [, ...batches] = store.allBatches();
		assert.ok(batches.length > 0, `${where}: the batch was journaled`);
		const expected = new Map<string, string | null>(setup.before!.disk);
		const kept = new Map<string, string[]>();
		const journaled = batches.map(batch => `${batch.id} ${batch.state}: ${store.operations(batch.id).map(row => `${row.op.kind} ${row.state}`).join(', ')}`).join('; ');
		for (const batch of batches) {
			assert.ok(['rolled-back', 'applied', 'undone'].includes(batch.state), `${where}: batch ${batch.id} ended ${batch.state}`);
			for (const row of store.operations(batch.id)) {
				const footprint = kindOf(row.op).footprint(row.op, batch.id);
				for (const [file, sha] of Object.entries(row.state === 'applied' ? footprint.after : footprint.before)) {
					expected.set(file, sha);
				}

				for (const [file, shas] of Object.entries(footprint.kept)) {
					kept.set(file, [...(kept.get(file) ?? []), ...shas]);
				}
			}
		}

		for (const [file, sha] of expected) {
			assert.equal(actual.get(file) ?? null, sha, `${where}: ${file} should ${sha ? 'hold its bytes' : 'not be there'} (journal: ${journaled})`);
		}

		for (const [file, sha] of actual) {
			assert.ok(expected.has(file) || kept.get(file)?.includes(sha), `${where}: unexpected file ${file} (journal: ${journaled})`);
		}

		const first = batches[0]!;
		const catalogNow = catalogSnapshot(catalog);
		if (first.state === 'applied') {
			assert.ok(afterFirstBatch, `${where}: the uninterrupted run recorded the catalog after its first batch`);
			assert.equal(catalogNow, afterFirstBatch, `${where}: the catalog is as the applied batch leaves it (journal: ${journaled})`);
		} else {
			assert.equal(catalogNow, setup.before!.catalog, `${where}: the catalog is as before the batch (journal: ${journaled})`);
		}

		for (const file of catalog.allPresent()) {
			assert.ok(actual.has(file.path), `${where}: the catalog lists ${file.path}, which is not on disk`);
		}

		return journal.recovered;
	} finally {
		catalog.close();
	}
}

/** A library for every registered kind, with the disk and catalog before the run. */
async function everyKindSetup(): Promise<Setup> {
	const {root, files, card} = await everyKindLibrary();
	const catalog = Catalog.open(libraryAt(root).catalogPath);
	try {
		return {root, files, card, before: {disk: new Map([...diskState(root), ...cardState(root)]), catalog: catalogSnapshot(catalog)}};
	} finally {
		catalog.close();
	}
}

const libraryOnly = () => {
	const {library, files} = journalLibrary(2, 1500);
	return {root: library.root, files, card: []};
};

const oldSidecar = Buffer.from('<x:xmpmeta xmp:Label="old"/>');

const scenarios: Scenario[] = [
	{name: 'trash+move (rename)', child: 'trash-move', env: {}, setup: libraryOnly, once: true},
	{name: 'trash+move (copy)', child: 'trash-move', env: {CURATE_TEST_FORCE_COPY: '1'}, setup: libraryOnly, once: true},
	{
		// Three files in chunks of two, so kills fall on both sides of a chunk's border.
		name: 'move-in',
		child: 'move-in',
		env: {CURATE_TEST_CHUNK: '2'},
		once: true,
		setup() {
			const {library, files} = journalLibrary(1, 1500);
			return {root: library.root, files, card: journalCard(library, 3, 1700)};
		},
	},
	{
		name: 'copy+sidecar',
		child: 'copy-sidecar',
		env: {},
		once: false,
		setup() {
			const {library, files} = journalLibrary(2, 1500);
			fs.writeFileSync(path.join(library.root, 'b/deep/photo-1.jpg.xmp'), oldSidecar);
			return {root: library.root, files, card: journalCard(library, 1, 1700)};
		},
		extra: () => [['b/deep/photo-1.jpg.xmp', createHash('sha256').update(oldSidecar).digest('hex')]],
	},

	{
		// One example of each registered kind, from the registry: a new kind is killed at every step without a line here.
		name: `every kind: ${operationKinds.map(kind => kind.kind).join(', ')}`,
		child: 'every-kind',
		env: {},
		once: false,
		setup: everyKindSetup,
		check: assertEveryKindConsistent,
	},
];

for (const scenario of scenarios) {
	test(`SIGKILL at every step of a batch and of its undo, then recovery: nothing lost or doubled (${scenario.name})`, async () => {
		await killEverywhere(scenario);
	});
}
