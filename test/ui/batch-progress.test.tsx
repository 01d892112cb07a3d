import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import React from 'react';
import {BatchProgress, type BatchState, batchReporter} from '../../source/ui/batch-progress.js';
import {progressStore} from '../../source/ui/transfer-progress.js';

/** The frame once it matches (Ink draws asynchronously, later under load), or the last one after two seconds. */
async function frameMatching(view: ReturnType<typeof render>, pattern: RegExp): Promise<string> {
	for (let waited = 0; waited < 2000 && !pattern.test(view.lastFrame() ?? ''); waited += 10) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 10));
	}

	return view.lastFrame() ?? '';
}

const state = (done: number, phase: BatchState['phase'] = 'applying'): BatchState => ({phase, done, total: 1000, bytes: done * 200_000, totalBytes: 200_000_000});

test('the batch view shows the phase, operations and bytes in one line of 80 columns, and follows the store', async () => {
	const store = progressStore<BatchState>(state(0, 'checking'));
	const view = render(<BatchProgress source={store} verb="Trashing" columns={80} />);
	try {
		assert.match(view.lastFrame()!, /^Checking ░+ 0\/1000 0 B\/200 MB$/);
		store.set(state(250));
		const frame = await frameMatching(view, /250/);
		assert.match(frame, /^Trashing █+░+ 250\/1000 50\.0 MB\/200 MB$/);
		assert.ok(frame.length <= 80, `${frame.length} columns`);
		store.set(state(1000, 'undoing'));
		assert.match(await frameMatching(view, /Undoing/), /^Undoing █+ 1000\/1000 200 MB\/200 MB$/);
	} finally {
		view.unmount();
		view.cleanup();
	}
});

/** A stream that remembers what was written. */
function sink(isTTY: boolean) {
	const written: string[] = [];
	return {written, stream: {isTTY, columns: 80, write: (text: string) => written.push(text) > 0} as unknown as NodeJS.WriteStream};
}

test('without a terminal (or with --json) progress is plain lines on stderr, throttled, none for a short batch, never on stdout', async () => {
	let clock = 0;
	const stdout = sink(true);
	const stderr = sink(false);
	const short = batchReporter({stdout: stdout.stream, stderr: stderr.stream, json: true, name: 'undo', verb: 'Undoing', now: () => clock});
	for (let done = 0; done <= 3; done++) {
		clock += 10;
		short.onProgress({...state(done, 'undoing'), total: 3});
	}

	await short.finish();
	assert.deepEqual(stderr.written, [], 'a batch done within the interval prints nothing');

	const long = batchReporter({stdout: stdout.stream, stderr: stderr.stream, json: true, name: 'dupes', verb: 'Trashing', now: () => clock});
	for (let done = 0; done <= 1000; done++) {
		clock += 10;
		long.onProgress(state(done, done < 300 ? 'checking' : 'applying'));
	}

	await long.finish();
	assert.deepEqual(stdout.written, [], 'nothing on stdout under --json');
	assert.deepEqual(stderr.written, [
		'dupes: checking 199/1000, 39.8 MB of 200 MB\n',
		'dupes: trashing 300/1000, 60.0 MB of 200 MB\n',
		'dupes: trashing 500/1000, 100 MB of 200 MB\n',
		'dupes: trashing 700/1000, 140 MB of 200 MB\n',
		'dupes: trashing 900/1000, 180 MB of 200 MB\n',
		'dupes: trashing 1000/1000, 200 MB of 200 MB\n',
	]);
});
