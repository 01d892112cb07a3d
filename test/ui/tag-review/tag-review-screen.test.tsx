import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {TagReviewScreen} from '../../../source/ui/tag-review/tag-review-screen.js';
import {gridKeys, keys, settle, waitFor, until} from '../../helpers/keys.js';
import {fakeTagServices, item} from '../../helpers/tag-review-fakes.js';

const size = {columns: 80, rows: 24};
const letters = 'abcdef0123456789';
const red = Array.from({length: 30}, (_, index) => item(letters[index % letters.length]!, index, 0.1 + index / 100));

afterEach(() => {
	cleanup();
});

function screen(queues: Record<string, ReturnType<typeof item>[]> = {'colour/red': red}) {
	const fakes = fakeTagServices(queues);
	const tags = Object.keys(queues);
	const ink = render(<TagReviewScreen tags={tags} services={fakes.services} below={0.6} colour={false} size={size} />);
	return {...fakes, ...ink, frame: () => ink.lastFrame() ?? ''};
}

describe('tag review screen', () => {
	test('at 80x24 a page holds 24 thumbnails in a 6x4 grid, lowest confidence first, within the screen', async () => {
		const {frame} = screen();
		await waitFor(() => frame().includes('777777777777'));
		const lines = frame().split('\n');
		assert.ok(lines.length <= 23, `${lines.length} lines: Ink clears the whole terminal when a frame fills it`);
		for (const line of lines) {
			assert.ok([...line].length <= 80, `too wide: ${line}`);
		}

		assert.match(frame(), /^colour\/red · 1–24 of 30 below 0\.60 · ✓0 ✗0/);
		assert.match(lines[1]!, /^aaaaaaaaaaaa bbbbbbbbbbbb cccccccccccc dddddddddddd eeeeeeeeeeee ffffffffffff$/);
		assert.match(lines[5]!, /^>0\.10 {9}0\.11 {9}0\.12/, 'labels under the first row, the first chosen');
		assert.match(frame(), /photos\/a0\.jpg · 0\.100/, 'the chosen photo is named');
		assert.doesNotMatch(frame(), /0\.34/, 'the 25th photo is on the next page');
	});

	test('arrows move, space marks wrong, enter rejects the marked and confirms the rest as one decision, then the next page', async () => {
		const {stdin, calls, frame} = screen();
		await settle();
		stdin.write(keys.right);
		await settle();
		stdin.write(gridKeys.down);
		await until(() => assert.match(frame(), /photos\/17\.jpg · 0\.170/, 'right then down: the 8th photo (second row, second column)'));
		stdin.write(gridKeys.space);
		await until(() => assert.match(frame(), />0\.17 ✗/));
		stdin.write('h');
		stdin.write(gridKeys.space);
		await settle();
		stdin.write(gridKeys.space);
		await settle();
		assert.doesNotMatch(frame(), /0\.16 ✗/, 'space again unmarks');
		stdin.write(keys.enter);
		await waitFor(() => calls.length > 0);
		assert.equal(calls.length, 1);
		const decided = calls[0]!;
		assert.equal(decided.action, 'decidePage');
		assert.ok(decided.action === 'decidePage');
		assert.deepEqual(decided.rejected, ['photos/17.jpg']);
		assert.equal(decided.confirmed.length, 23);
		assert.ok(!decided.confirmed.includes('photos/17.jpg'));
		await waitFor(() => frame().includes('1–6 of 6'));
		assert.match(frame(), /colour\/red · 1–6 of 6 below 0\.60 · ✓23 ✗1/);
		assert.match(frame(), /colour\/red: 23 confirmed, 1 rejected · batch 1/);
		assert.match(frame(), />0\.34/, 'the next undecided photos move in, the first one chosen');
	});

	test('keys arriving in one chunk (fast typing, SSH) are taken one by one; an acting key ends the chunk', async () => {
		const {stdin, calls, frame} = screen();
		await settle();
		stdin.write('l l ');
		await until(() => assert.match(frame(), / 0\.10 {9}0\.11 ✗ {6}>0\.12 ✗/));
		stdin.write('l4');
		await until(() => {
			assert.equal(calls.length, 0, 'a rating typed after a move in the same chunk is not applied to a stale screen');
			assert.match(frame(), />0\.13/);
		});
	});

	test('u undoes the page by its batch and the photos come back; a second u has nothing left', async () => {
		const {stdin, calls, frame} = screen();
		await settle();
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('1–6 of 6'));
		stdin.write('u');
		await waitFor(() => frame().includes('1–24 of 30'));
		assert.deepEqual(calls.at(-1), {action: 'undo', batch: 1});
		assert.match(frame(), /✓0 ✗0/);
		assert.match(frame(), /undid batch 1/);
		stdin.write('u');
		await until(() => {
			assert.match(frame(), /Nothing to undo in this session/);
			assert.equal(calls.length, 2);
		});
	});

	test('t asks for a tag and adds it to the marked photos; escape cancels; without marks it explains', async () => {
		const {stdin, calls, frame} = screen();
		await settle();
		stdin.write('t');
		await until(() => assert.match(frame(), /Mark photos with space first/));
		stdin.write(gridKeys.space);
		stdin.write('l');
		await settle();
		stdin.write(gridKeys.space);
		await settle();
		stdin.write('t');
		await until(() => assert.match(frame(), /tag for 2 marked photos: ▏/));
		stdin.write('places/beachx');
		await settle();
		stdin.write(gridKeys.backspace);
		await until(() => assert.match(frame(), /tag for 2 marked photos: places\/beach▏/));
		stdin.write(keys.enter);
		await waitFor(() => calls.length > 0);
		assert.deepEqual(calls[0], {action: 'addTag', tag: 'places/beach', paths: ['photos/a0.jpg', 'photos/b1.jpg']});
		await waitFor(() => frame().includes('places/beach added'));
		assert.match(frame(), />0\.11 ✗/, 'the photos stay marked: they are still wrong for this tag');
		stdin.write('t');
		await until(() => assert.match(frame(), /tag for 2 marked photos: ▏/));
		stdin.write('?!');
		await settle();
		stdin.write(keys.enter);
		await until(() => assert.match(frame(), /! "\?!" is not a tag name/));
		stdin.write('t');
		await until(() => assert.match(frame(), /tag for 2 marked photos: ▏/));
		stdin.write(keys.escape);
		await settle();
		assert.doesNotMatch(frame(), /tag for/);
		assert.equal(calls.length, 1);
	});

	test('a tag pasted (or typed over SSH) with its enter in one chunk is added, not dropped', async () => {
		const {stdin, calls, frame} = screen();
		await settle();
		stdin.write(gridKeys.space);
		await settle();
		stdin.write('t');
		await until(() => assert.match(frame(), /tag for 1 marked photo: ▏/));
		stdin.write('places/beach\r');
		await waitFor(() => calls.length > 0);
		assert.deepEqual(calls[0], {action: 'addTag', tag: 'places/beach', paths: ['photos/a0.jpg']});
		await waitFor(() => frame().includes('places/beach added'));
	});

	test('0-5 rate the chosen photo, or the marked ones; a failure is shown and nothing moves on', async () => {
		const {stdin, calls, frame, failNext} = screen();
		await settle();
		stdin.write('4');
		await waitFor(() => calls.length === 1);
		assert.deepEqual(calls[0], {action: 'rate', rating: 4, paths: ['photos/a0.jpg']});
		await waitFor(() => frame().includes('rated 4'));
		stdin.write('a');
		await settle();
		stdin.write('0');
		await waitFor(() => calls.length === 2);
		await waitFor(() => frame().includes('rated 0'));
		assert.deepEqual(calls[1], {action: 'rate', rating: 0, paths: red.slice(0, 24).map(i => i.path)}, 'a marked the whole page');
		failNext('disk full');
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('disk full'));
		assert.match(frame(), /! disk full/);
		assert.match(frame(), /1–24 of 30/);
	});

	test('n and p page without deciding; each tag in turn; the end says what was done', async () => {
		const {stdin, calls, frame} = screen({'colour/red': red.slice(0, 3), 'places/beach': [item('9', 1, 0.2)]});
		await until(() => assert.match(frame(), /colour\/red \(tag 1 of 2\) · 1–3 of 3/));
		stdin.write('n');
		await until(() => assert.match(frame(), /last page of this tag/));
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('places/beach (tag 2 of 2)'));
		assert.match(frame(), /places\/beach \(tag 2 of 2\) · 1–1 of 1/);
		stdin.write(gridKeys.space);
		await settle();
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('Reviewed'));
		assert.match(frame(), /Reviewed: 3 confirmed, 1 rejected\. Nothing left below 0\.60\./);
		assert.deepEqual(calls.at(-1), {action: 'decidePage', tag: 'places/beach', confirmed: [], rejected: ['photos/91.jpg']});
		stdin.write('u');
		await waitFor(() => frame().includes('places/beach (tag 2 of 2) · 1–1'));
		assert.match(frame(), /✓3 ✗0/);
	});

	test('? shows the keys from the keymap within 80 columns; esc closes it', async () => {
		const {stdin, frame} = screen();
		await settle();
		stdin.write('?');
		await until(() => {
			assert.match(frame(), /space x {2}mark the photo wrong for this tag/);
			assert.match(frame(), /0-5 {6}rate the marked photos/);
			assert.match(frame(), /Confirmed tags are written to XMP sidecars; every change is one journal batch/);
			assert.ok(frame().split('\n').every(line => [...line].length <= 80));
		});
		stdin.write(keys.escape);
		await until(() => assert.match(frame(), /1–24 of 30/));
	});
});
