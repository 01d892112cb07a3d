import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {JournalStore} from '../../source/db/journal-store.js';
import {Journal} from '../../source/journal/journal.js';
import {tsxLoader} from '../helpers/cli.js';
import {diskState, journalLibrary} from '../helpers/journal-library.js';

const child = path.resolve(import.meta.dirname, '../helpers/journal-kill-child.ts');

function runChild(root: string, env: NodeJS.ProcessEnv) {
	return spawnSync(process.execPath, ['--import', tsxLoader, child, root], {env: {...process.env, ...env}, encoding: 'utf8', timeout: 60_000});
}

async function killChild(root: string, env: NodeJS.ProcessEnv): Promise<{signal: NodeJS.Signals | null; stderr: string}> {
	return new Promise((resolve, reject) => {
		const process_ = spawn(process.execPath, ['--import', tsxLoader, child, root], {env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']});
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

/** After recovery: each file's bytes exactly once on disk, every catalog row where its bytes are, no batch left open. */
async function assertConsistent(root: string, files: ReturnType<typeof journalLibrary>['files'], where: string) {
	const {library} = {library: {root, catalogPath: path.join(root, '.curate', 'catalog.db')}};
	const catalog = Catalog.open(library.catalogPath);
	try {
		const journal = await Journal.open({...library, dir: path.join(root, '.curate'), thumbsDir: '', trashDir: path.join(root, '.curate', 'trash'), lockPath: path.join(root, '.curate', 'lock')}, catalog);
		const disk = diskState(root);
		for (const [file] of disk) {
			assert.doesNotMatch(file, /\.curate-partial$/, `${where}: a partial copy was left behind`);
		}

		for (const file of files) {
			const copies = [...disk].filter(([, sha]) => sha === file.sha256).map(([at]) => at);
			assert.equal(copies.length, 1, `${where}: ${file.path} exists ${copies.length} times (${copies.join(', ')})`);
		}

		assert.equal(disk.size, files.length, `${where}: unexpected files on disk`);
		const rows = catalog.db.prepare('SELECT path, sha256, status, trashed_batch FROM files').all() as Array<{path: string; sha256: string; status: string; trashed_batch: number | null}>;
		assert.equal(rows.length, files.length, `${where}: catalog rows`);
		for (const row of rows) {
			assert.equal(disk.get(row.path), row.sha256, `${where}: the catalog puts ${row.path} where its bytes are not`);
			assert.equal(row.status === 'present', row.trashed_batch === null, `${where}: ${row.path} presence`);
			assert.equal(row.path.startsWith('.curate/trash/'), row.trashed_batch !== null, `${where}: ${row.path} trash state`);
		}

		const store = new JournalStore(catalog);
		const [batch] = store.allBatches();
		assert.ok(batch, `${where}: the batch was journaled`);
		assert.equal(store.unfinishedBatches().length, 0, `${where}: a batch is still open`);
		const ops = store.operations(batch.id);
		// The journal agrees with the disk: applied operations show their effect, others do not.
		for (const row of ops) {
			const op = row.op;
			const atOriginal = op.kind === 'trash' ? disk.has(op.path) : op.kind === 'move' ? disk.has(op.from) : true;
			assert.equal(atOriginal, row.state !== 'applied', `${where}: operation ${row.seq} is ${row.state} but the disk says otherwise`);
		}

		assert.ok(['rolled-back', 'applied', 'undone'].includes(batch.state), `${where}: batch ended ${batch.state}`);
		if (batch.state === 'undone' || batch.state === 'rolled-back') {
			assert.deepEqual(new Set(rows.filter(row => row.status === 'present').map(row => row.path)), new Set(files.map(file => file.path)));
		}

		return journal.recovered;
	} finally {
		catalog.close();
	}
}

for (const mode of ['rename', 'copy'] as const) {
	test(`SIGKILL at every step of a batch of trashes and moves and of its undo (${mode}), then recovery: nothing lost or doubled`, async () => {
		const env = mode === 'copy' ? {CURATE_TEST_FORCE_COPY: '1'} : {};
		const probe = journalLibrary(2, 1500);
		const dry = runChild(probe.library.root, env);
		assert.equal(dry.status, 0, dry.stderr);
		const steps = Number(dry.stdout.trim());
		assert.ok(steps >= 8, `the run passes ${steps} checkpoints`);
		let recoveries = 0;
		// Two children at a time: the machine has two cores, and each child spends most of its life starting up.
		for (let k = 1; k <= steps; k += 2) {
			const runs = [k, k + 1].filter(step => step <= steps).map(async step => {
				const {library, files} = journalLibrary(2, 1500);
				const killed = await killChild(library.root, {...env, CURATE_TEST_KILL_AT: String(step)});
				assert.equal(killed.signal, 'SIGKILL', `step ${step}: the child should have been killed (${killed.stderr})`);
				return assertConsistent(library.root, files, `${mode} kill at step ${step}/${steps}`);
			});
			// eslint-disable-next-line no-await-in-loop
			for (const recovered of await Promise.all(runs)) {
				recoveries += recovered.length;
			}
		}

		// Killed after the undo finished (the last steps), there is nothing to recover; everywhere else there is.
		assert.ok(recoveries >= steps - 2, `recovery settled ${recoveries} of ${steps} interrupted runs`);
		console.log(`${mode}: ${steps} kill points, ${recoveries} recoveries`);
	});
}
