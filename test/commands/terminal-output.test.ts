/**
 * Names carry escape sequences (issue 13, C18): every command that prints file-derived text must show them as visible
 * text on a terminal. Each command runs under `script`, a real pseudo-terminal, and its raw output is checked.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {tagRowsOf} from '../../source/db/tag-review.js';
import {exportTagsCsv} from '../../source/tags/exchange.js';
import {closeDecoders} from '../../source/media/decode.js';
import {cliEntry, runCli, tsxLoader} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {scanRoot, withCatalog} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

/** OSC window title, OSC 52 clipboard write, CSI clear screen, 8-bit CSI (C1) and a right-to-left override. */
const hostile = '\u001B]0;owned\u0007\u001B]52;c;ZXZpbA==\u0007\u001B[2J\u009B31m\u202Egpj';
const forbidden = [/\u001B\]/, /\u0007/, /\u001B\[2J/, /\u009B/, /\u202E/];
const needsScript = spawnSync('script', ['--version']).status === 0 ? false : 'util-linux script (a pseudo-terminal) is not installed';

/** Runs `curate ARGS` on a pseudo-terminal; returns everything the terminal received. */
async function onTerminal(args: readonly string[], cwd: string): Promise<string> {
	const line = [process.execPath, '--import', tsxLoader, cliEntry, ...args].map((_, index) => `"$A${index}"`).join(' ');
	const env = Object.fromEntries([process.execPath, '--import', tsxLoader, cliEntry, ...args].map((arg, index) => [`A${index}`, arg]));
	return new Promise((resolve, reject) => {
		const child = spawn('script', ['-qec', line, '/dev/null'], {cwd, env: {...process.env, ...env, NO_COLOR: '1', COLUMNS: '200'}, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.setEncoding('utf8').on('data', chunk => {
			output += chunk;
		});
		child.on('error', reject);
		child.on('close', () => {
			resolve(output);
		});
	});
}

function assertEscaped(output: string, command: string): void {
	for (const pattern of forbidden) {
		assert.doesNotMatch(output, pattern, `${command} sent ${pattern} raw to the terminal:\n${JSON.stringify(output)}`);
	}

	assert.match(output, /\\e\]0;owned/, `${command} shows the name, escaped:\n${output}`);
}

test('tags export --csv escapes names with escape sequences on a terminal and keeps their bytes in a pipe', async () => {
	const {root} = await sampleLibrary();
	await scanRoot(root);
	withCatalog(root, catalog => {
		const file = catalog.allPresent().find(candidate => candidate.sha256)!;
		tagRowsOf(catalog).setRows(file.sha256!, [{tag: `x${hostile}`, source: 'user', value: {state: 'confirmed', confidence: 1}}]);
		let terminal = '';
		exportTagsCsv(catalog, chunk => {
			terminal += chunk;
		}, {forTerminal: true});
		let pipe = '';
		exportTagsCsv(catalog, chunk => {
			pipe += chunk;
		});
		assertEscaped(terminal, 'tags export (terminal)');
		assert.ok(pipe.includes(hostile), 'a pipe gets the raw bytes');
	});
});

test('names with OSC, CSI, C1 and bidi bytes reach a terminal escaped from tags export, tags list, search, show, dupes, status and journal', {skip: needsScript, timeout: 1_200_000}, async () => {
	const {root: sample} = await sampleLibrary();
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	const photo = fs.readdirSync(path.join(sample, '2019'), {recursive: true, encoding: 'utf8'}).find(name => name.endsWith('.jpg'))!;
	const crafted = `IMG${hostile}.jpg`;
	fs.copyFileSync(path.join(sample, '2019', photo), path.join(root, 'a.jpg'));
	fs.copyFileSync(path.join(sample, '2019', photo), path.join(root, crafted));
	fs.writeFileSync(path.join(root, `broken${hostile}.jpg`), 'not a photo at all');
	await scanRoot(root);
	withCatalog(root, catalog => {
		const file = catalog.fileByPath(crafted)!;
		tagRowsOf(catalog).setRows(file.sha256!, [{tag: `x${hostile}`, source: 'user', value: {state: 'confirmed', confidence: 1}}]);
	});

	const commands: string[][] = [
		['tags', 'export', '--csv'],
		['tags', 'list'],
		['search', 'path:img'],
		['show', crafted],
		['dupes'],
		['status'],
	];
	for (const args of commands) {
		// eslint-disable-next-line no-await-in-loop
		assertEscaped(await onTerminal(args, root), args.join(' '));
	}

	// The journal: trash the crafted copy (a keeper decision), then list and export the journal on a terminal.
	const applied = await runCli(['dupes', '--apply', 'keepers'], {cwd: root, timeoutMs: 500_000});
	assert.equal(applied.code, 0, applied.stderr);
	const exported = await onTerminal(['journal', 'export'], root);
	for (const pattern of forbidden) {
		assert.doesNotMatch(exported, pattern, `journal export sent ${pattern} raw:\n${JSON.stringify(exported)}`);
	}

	assert.match(exported, /\\u009b31m\\u202egpj/, 'the JSON escapes the C1 and bidi characters');
	// Undo's own progress view clears the screen (Ink); what matters is the list of operations it prints after it.
	const undone = await onTerminal(['undo'], root);
	assertEscaped(undone.slice(undone.indexOf('Undid batch')), 'undo');
});
