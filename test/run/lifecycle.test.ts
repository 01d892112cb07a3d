import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {EventEmitter} from 'node:events';
import path from 'node:path';
import {test} from 'node:test';
import {interruptedCode, runCommand} from '../../source/run/lifecycle.js';
import {tsxLoader} from '../helpers/cli.js';
import {needsTmux, tmuxSession} from '../helpers/tmux.js';

const child = path.resolve(import.meta.dirname, '../helpers/lifecycle-child.ts');

/** Starts the demo command as a real process with pipes (no terminal), and collects what it says. */
function start(mode: 'stops' | 'stubborn', ...args: string[]) {
	const process_ = spawn(process.execPath, ['--import', tsxLoader, child, mode, ...args], {env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
	const output = {stdout: '', stderr: ''};
	process_.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output.stdout += chunk;
	});
	process_.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		output.stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		process_.on('close', code => {
			resolve(code);
		});
	});
	return {child: process_, output, exited};
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
	for (const deadline = Date.now() + timeoutMs; !check(); ) {
		assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

test('Ctrl-C aborts the work: it stops after the current file, tears down, prints its summary and exits 130; off a terminal progress is plain lines on stderr', async () => {
	const run = start('stops');
	await until(() => /^checking: \d+\/1000 files, [\d.]+ files\/s$/m.test(run.output.stderr), 'a plain progress line');
	run.child.kill('SIGINT');
	assert.equal(await run.exited, interruptedCode, run.output.stderr);
	const done = Number(/^Checked (\d+) files\.$/m.exec(run.output.stdout)?.[1]);
	assert.ok(done > 0 && done < 1000, run.output.stdout);
	assert.equal(run.output.stdout, `Checked ${done} files.\n`, 'stdout holds the summary and nothing else: no Ink, no progress');
	const stderr = run.output.stderr.split('\n');
	assert.equal(stderr.filter(line => line.startsWith('stopping after the current file')).length, 1);
	assert.ok(stderr.indexOf('teardown: last registered, first run') < stderr.indexOf('teardown: first registered, last run'), run.output.stderr);
	assert.doesNotMatch(run.output.stderr, /stopped at once/);
});

test('a second Ctrl-C ends a command that does not stop at once, saying so, with exit 130', async () => {
	const run = start('stubborn');
	await until(() => /^checking: /m.test(run.output.stderr), 'a plain progress line');
	run.child.kill('SIGINT');
	await until(() => run.output.stderr.includes('stopping after the current file'), 'the first signal to be taken');
	run.child.kill('SIGINT');
	assert.equal(await run.exited, interruptedCode, run.output.stderr);
	assert.match(run.output.stderr, /^curate: demo stopped at once; nothing was lost\.$/m);
	assert.equal(run.output.stdout, '', 'no summary: the work never finished');
});

test('under --json the summary is one JSON object on stdout and progress stays on stderr, interrupted or not', async () => {
	const run = start('stops', '--json');
	await until(() => /^checking: /m.test(run.output.stderr), 'a plain progress line');
	run.child.kill('SIGTERM');
	assert.equal(await run.exited, interruptedCode, run.output.stderr);
	assert.ok(JSON.parse(run.output.stdout).done > 0, run.output.stdout);
});

test('on a terminal progress is drawn by Ink and Ctrl-C still ends with the summary below it (tmux, 80x24)', {skip: needsTmux}, async () => {
	const session = tmuxSession('lifecycle', 80, 24);
	try {
		session.run(`node --import ${tsxLoader} ${child} stops; echo "exit=$?"`);
		const running = await session.waitFor(/Checking [█░]+ \d+\/1000 files/, 60_000);
		assert.match(running, /Checking [█░]+ \d+\/1000 files\n[\d.]+ files\/s · ETA [^\n]+\n2024\/file-\d+\.jpg/, running);
		assert.doesNotMatch(running, /^checking: /m, 'no plain lines on a terminal');
		session.keys('C-c');
		const screen = await session.waitFor(/exit=\d+/, 30_000);
		assert.match(screen, /exit=130/, screen);
		assert.match(screen, /teardown: first registered, last run\nChecked \d+ files\.\n/, screen);
	} finally {
		session.kill();
	}
});

/** A stream that remembers what was written; a terminal (for Ink) or not. */
function sink(isTTY: boolean) {
	const stream = Object.assign(new EventEmitter(), {isTTY, columns: 80, rows: 24, written: [] as string[]});
	return Object.assign(stream, {write: (text: string) => stream.written.push(text) > 0}) as unknown as NodeJS.WriteStream & {written: string[]};
}

test('the channel draws the engine events as Ink on a terminal, the final frame before the summary, and no plain lines', async () => {
	const stdout = sink(true);
	const stderr = sink(false);
	const code = await runCommand({name: 'verify', stdout, stderr, interrupt: false}, async ({progress}) => {
		const emit = await progress({kind: 'files', label: 'Verifying', problemLabel: 'problems'});
		for (let done = 0; done <= 10; done++) {
			emit({done, total: 10, bytes: done * 1_000_000, totalBytes: 10_000_000, problems: done > 5 ? 1 : 0});
		}

		return {json: {}, text: () => ['Checked 10 files.'], code: 1};
	});
	assert.equal(code, 1, 'the outcome code when not interrupted');
	const output = stdout.written.join('');
	const frame = output.lastIndexOf('Verifying');
	assert.ok(frame >= 0, output);
	assert.match(output.slice(frame), /^Verifying █+ 10\/10 files\n.*· 1 problems\n(?:.|\n)*Checked 10 files\.\n$/, output);
	assert.deepEqual(stderr.written, []);
});

test('teardown runs in reverse order when the work throws, and the error reaches the caller without a summary', async () => {
	const stdout = sink(false);
	const order: string[] = [];
	await assert.rejects(
		runCommand({name: 'scan', stdout, stderr: sink(false), interrupt: false}, async ({defer}) => {
			defer(() => order.push('catalog lock'));
			defer(async () => order.push('catalog'));
			throw new Error('disk on fire');
		}),
		/disk on fire/,
	);
	assert.deepEqual(order, ['catalog', 'catalog lock']);
	assert.deepEqual(stdout.written, []);
});
