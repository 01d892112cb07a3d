import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {cliEntry, tsxLoader} from '../helpers/cli.js';
import {loadedPackages, moduleLog} from '../helpers/loaded-packages.js';
import {scannedSampleLibrary} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';
import {needsTmux, tmuxSession} from '../helpers/tmux.js';

const ink = ['ink', 'react'];

test('undo, redo, restore, backup, verify and export do not load Ink or React when their output is not a terminal (issue 14)', async () => {
	const {root} = await scannedSampleLibrary();
	const backup = path.join(tempDir(), 'backup');
	const exported = path.join(tempDir(), 'export');
	const victim = '2019/2019-05-03 Paris/DSC_0412.jpg';
	const steps: Array<{args: string[]; code: number; then?: () => void}> = [
		{args: ['backup', '--to', backup], code: 0, then: () => fs.rmSync(path.join(root, victim))},
		{args: ['verify'], code: 1},
		{args: ['restore', victim, '--from', backup], code: 0},
		{args: ['undo'], code: 0},
		{args: ['redo'], code: 0},
		{args: ['export', '2019', '--to', exported], code: 0},
	];
	for (const step of steps) {
		// eslint-disable-next-line no-await-in-loop
		const {result, loaded} = await loadedPackages(step.args, ink, root);
		assert.equal(result.code, step.code, `curate ${step.args.join(' ')}: ${result.stdout}${result.stderr}`);
		assert.deepEqual(loaded, [], `curate ${step.args.join(' ')} loaded ${loaded.join(', ')}`);
		step.then?.();
	}

	assert.ok(fs.existsSync(path.join(root, victim)), 'restore brought the file back, and redo restored it again');
});

test('the same verify on a terminal does load Ink, to draw its progress (so the test above can fail)', {skip: needsTmux}, async () => {
	const {root} = await scannedSampleLibrary();
	const log = path.join(tempDir(), 'modules.log');
	fs.writeFileSync(log, '');
	const session = tmuxSession('plain-output', 80, 24);
	try {
		session.run(`cd ${JSON.stringify(root)} && CURATE_MODULE_LOG=${JSON.stringify(log)} NODE_OPTIONS="--import ${moduleLog}" node --import ${tsxLoader} ${cliEntry} verify; echo "exit=$?"`);
		const screen = await session.waitFor(/exit=\d+/, 60_000);
		assert.match(screen, /exit=0/, screen);
	} finally {
		session.kill();
	}

	const lines = fs.readFileSync(log, 'utf8').split('\n');
	assert.ok(lines.some(line => line.includes('/node_modules/ink/')), 'Ink drew the progress on the terminal');
});
