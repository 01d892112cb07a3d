import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import type {ReviewProgress} from '../../../source/review/types.js';
import {ReviewScreen} from '../../../source/ui/review/review-screen.js';
import {keys, settle, waitFor, until} from '../../helpers/keys.js';
import {cluster, fakeServices, member} from '../../helpers/review-fakes.js';

const size = {columns: 80, rows: 24};
const noProgress: ReviewProgress = {current: null, skipped: [], freed: 0};

const clusters = [
	cluster('aaaaaaaaaaaa', [
		member('2019/IMG_1.jpg', {sha256: 'a'.repeat(64), reasons: ['most pixels']}),
		member('Downloads/IMG_1 (1).jpg', {sha256: 'b'.repeat(64), width: 1600, height: 1200, bytes: 300_000, reasons: ['fewer pixels than the keeper']}),
		member('backup/IMG_1.jpg', {sha256: 'c'.repeat(64), gps: false, bytes: 2_000_000}),
	]),
	cluster('bbbbbbbbbbbb', [member('2020/DSC_2.jpg', {sha256: 'd'.repeat(64)}), member('copy/DSC_2.jpg', {sha256: 'e'.repeat(64)})]),
	cluster('cccccccccccc', [member('2021/P3.jpg', {sha256: 'f'.repeat(64)}), member('old/P3.jpg', {sha256: '1'.repeat(64)})]),
];

// Fixed pauses of 150 ms: the screen drops keys until a decision's outcome is rendered, and on the shared 2-core
// machine under load a render can take longer than 50 ms.
afterEach(() => {
	cleanup();
});

function screen(options: {progress?: ReviewProgress; colour?: boolean} = {}) {
	const fakes = fakeServices();
	const ink = render(<ReviewScreen clusters={clusters} progress={options.progress ?? noProgress} services={fakes.services} colour={options.colour ?? false} size={size} />);
	return {...fakes, ...ink, frame: () => ink.lastFrame() ?? ''};
}

describe('review screen', () => {
	test('shows a cluster at 80x24: pictures, facts, keeper reasons, differences marked, status line', async () => {
		const {frame} = screen();
		await waitFor(() => frame().includes('ccccccccccccc'));
		const lines = frame().split('\n');
		assert.ok(lines.length <= 23, `${lines.length} lines: Ink clears the whole terminal when a frame fills it`);
		for (const line of lines) {
			assert.ok([...line].length <= 80, `too wide: ${line}`);
		}

		const text = frame();
		assert.match(text, /\[exact\] aaaaaaaaaaaa · 3 photos/);
		assert.match(text, /▶ 1\/3 KEEP \(suggested\)/);
		assert.match(text, /aaaaaaaaaaaaaaaaaaaaaaaaa/, 'the first picture is drawn');
		assert.match(text, /ccccccccccccc/, 'the third picture is drawn');
		assert.match(text, /\*4032x3024/, 'resolution differs, so it is marked');
		assert.match(text, /\*1600x1200/);
		assert.match(text, /\*GPS/);
		assert.match(text, /\*no GPS/);
		assert.doesNotMatch(text, /\*jpeg/, 'the format is the same for all, so it is not marked');
		assert.match(text, /\+ most pixels/);
		assert.match(text, /- fewer pixels than the/);
		assert.match(text, /cluster 1 of 3 · freed 0 B · \? help/);
	});

	test('k keeps the chosen photo (right arrow / l choose), a accepts the suggestion, as one call each', async () => {
		const {stdin, calls, frame} = screen();
		await settle(150);
		stdin.write('l');
		await until(() => assert.match(frame(), /▶ 2\/3 near copy|▶ 2\/3 exact copy/));
		stdin.write('k');
		await until(() => {
			assert.deepEqual(calls, [{action: 'keep', cluster: 'aaaaaaaaaaaa', keeper: 'Downloads/IMG_1 (1).jpg'}]);
			assert.match(frame(), /cluster 2 of 3 · freed 4.4 MB/, 'moved on, freed the two others');
			assert.match(frame(), /keep done/);
		});
		stdin.write(keys.right);
		await settle(150);
		stdin.write('a');
		await until(() => assert.deepEqual(calls[1], {action: 'keep', cluster: 'bbbbbbbbbbbb', keeper: '2020/DSC_2.jpg'}, 'a keeps the suggested keeper, not the chosen photo'));
	});

	test('u undoes the last decision by its batch and goes back to that cluster', async () => {
		const {stdin, calls, frame} = screen();
		await settle(150);
		stdin.write('a');
		// Keys pressed while a decision is in flight are dropped on purpose (one decision at a time): wait for its outcome.
		await until(() => assert.match(frame(), /cluster 2 of 3/));
		stdin.write('n');
		await until(() => assert.match(frame(), /cluster 3 of 3/));
		stdin.write('u');
		await until(() => {
			assert.deepEqual(calls.at(-1), {action: 'undo', batchId: 'b2'});
			assert.match(frame(), /cluster 2 of 3/);
		});
		stdin.write('u');
		await until(() => {
			assert.deepEqual(calls.at(-1), {action: 'undo', batchId: 'b1'});
			assert.match(frame(), /cluster 1 of 3 · freed 0 B/);
		});
		stdin.write('u');
		await until(() => {
			assert.match(frame(), /Nothing to undo/);
			assert.equal(calls.length, 4);
		});
	});

	test('m merges into the chosen photo; n marks not duplicates; a failure is shown and nothing moves on', async () => {
		const {stdin, calls, frame, failNext} = screen();
		await settle(150);
		failNext('disk full');
		stdin.write('a');
		await until(() => {
			assert.match(frame(), /! disk full/);
			assert.match(frame(), /cluster 1 of 3/);
		});
		stdin.write('h');
		stdin.write('l');
		stdin.write('l');
		await settle(150);
		stdin.write('m');
		await until(() => {
			assert.deepEqual(calls[1], {action: 'merge', cluster: 'aaaaaaaaaaaa', keeper: 'backup/IMG_1.jpg'});
			assert.match(frame(), /cluster 2 of 3/);
		});
		stdin.write('n');
		await until(() => assert.deepEqual(calls[2], {action: 'notDuplicates', cluster: 'bbbbbbbbbbbb'}));
	});

	test('s skips, the position and skipped clusters are saved, and a decided cluster refuses a second decision', async () => {
		const {stdin, calls, frame, saved} = screen();
		await settle(150);
		stdin.write('s');
		await until(() => {
			assert.match(frame(), /cluster 2 of 3/);
			assert.deepEqual(saved.at(-1), {current: 'bbbbbbbbbbbb', skipped: ['aaaaaaaaaaaa'], freed: 0});
		});
		stdin.write('a');
		await until(() => assert.match(frame(), /cluster 3 of 3/));
		stdin.write('b');
		await until(() => assert.match(frame(), /cluster 2 of 3 · freed 2.4 MB · kept/));
		stdin.write('k');
		await until(() => {
			assert.match(frame(), /already kept/);
			assert.equal(calls.length, 1);
		});
	});

	test('resumes at the saved cluster', async () => {
		const {frame} = screen({progress: {current: 'cccccccccccc', skipped: [], freed: 5_000_000}});
		await until(() => {
			assert.match(frame(), /cccccccccccc/);
			assert.match(frame(), /cluster 3 of 3 · freed 5.0 MB/);
		});
	});

	test('? shows help generated from the keymap; enter shows the large view; esc goes back', async () => {
		const {stdin, frame} = screen();
		await settle(150);
		stdin.write('?');
		await until(() => assert.match(frame(), /not duplicates: never show them together again/));
		stdin.write(keys.escape);
		await settle(150);
		stdin.write(keys.enter);
		await until(() => assert.match(frame(), /2019\/IMG_1\.jpg\n4032x3024 · 2\.4 MB · jpeg · 2019-05-03 14:22:10 · NIKON D750 · GPS/));
		stdin.write(keys.escape);
		await until(() => assert.match(frame(), /cluster 1 of 3/));
	});

	test('escape sequences in names and EXIF text show as harmless text', async () => {
		const evil = [
			cluster('dddddddddddd', [
				member('odd/\u001B]0;pwned\u0007name.jpg', {sha256: '2'.repeat(64), caption: 'sunset \u001B[31mred\u001B[0m', camera: 'Cam\u001B[2J'}),
				member('odd/copy.jpg', {sha256: '3'.repeat(64)}),
			]),
		];
		const fakes = fakeServices();
		const {lastFrame, stdin} = render(<ReviewScreen clusters={evil} progress={noProgress} services={fakes.services} colour={false} size={size} />);
		await settle(150);
		const text = lastFrame() ?? '';
		assert.doesNotMatch(text, /\u001B|\u0007/);
		assert.match(text, /\\e\]0;pwned\\x07name\.jpg/);
		assert.match(text, /sunset \\e\[31mred/);
		stdin.write(keys.enter);
		await settle(150);
		assert.doesNotMatch(lastFrame() ?? '', /\u001B|\u0007/);
		assert.match(lastFrame() ?? '', /Cam\\e\[2J/);
	});

	test('more members than fit scroll with the chosen one', async () => {
		const many = [cluster('eeeeeeeeeeee', ['a', 'b', 'c', 'd', 'e'].map(letter => member(`${letter}/x.jpg`, {sha256: letter.repeat(64)})))];
		const fakes = fakeServices();
		const {lastFrame, stdin} = render(<ReviewScreen clusters={many} progress={noProgress} services={fakes.services} colour={false} size={size} />);
		await until(() => assert.match(lastFrame() ?? '', /2 more ▶/));
		for (let i = 0; i < 4; i++) {
			stdin.write('l');
		}

		await until(() => {
			assert.match(lastFrame() ?? '', /◀ 2 more/);
			assert.match(lastFrame() ?? '', /▶ 5\/5/);
			assert.match(lastFrame() ?? '', /eeeeeeeeeeeee/);
		});
		assert.doesNotMatch(lastFrame() ?? '', /aaaaaaaaaaaaa/);
	});

	test('q quits', async () => {
		const {stdin, frame} = screen();
		await settle(150);
		stdin.write('q');
		await settle(150);
		// After exit the tree is unmounted: further keys change nothing.
		const before = frame();
		stdin.write('l');
		await until(() => assert.equal(frame(), before));
	});
});
