import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import type {CropPlacement, PeopleGroup} from '../../../source/faces/people-review-types.js';
import {PeopleReviewScreen} from '../../../source/ui/people/people-review-screen.js';
import {gridKeys, keys, settle, waitFor} from '../../helpers/keys.js';
import {face, type FakeFace, fakePeopleServices} from '../../helpers/people-review-fakes.js';

const size = {columns: 80, rows: 24};
const letters = 'abcdefghijklmnop';
const anna = Array.from({length: 15}, (_, index) => face(letters[index]!, index + 1, {suggestion: {person: 'Anna', confidence: 0.95 - index / 100}, cluster: 1}));
const strangers = Array.from({length: 4}, (_, index) => face('s', 100 + index, {cluster: 7}));
const named = Array.from({length: 3}, (_, index) => face('n', 200 + index, {person: 'Ben', cluster: 9}));

afterEach(() => {
	cleanup();
});

function screen(groups: PeopleGroup[], faces: FakeFace[] = [...anna, ...strangers, ...named], graphics?: {shown: CropPlacement[][]; hidden: number}) {
	const fakes = fakePeopleServices(faces);
	const services = graphics
		? {
				...fakes.services,
				graphics: {
					name: 'test graphics',
					async show(placements: readonly CropPlacement[]) {
						graphics.shown.push([...placements]);
					},
					hide() {
						graphics.hidden++;
					},
				},
			}
		: fakes.services;
	const ink = render(<PeopleReviewScreen groups={groups} services={services} colour={false} size={size} />);
	return {...fakes, ...ink, frame: () => ink.lastFrame() ?? ''};
}

function fitsTheTerminal(frame: string) {
	const lines = frame.split('\n');
	assert.ok(lines.length <= 23, `${lines.length} lines: Ink clears the whole terminal when a frame fills it`);
	for (const line of lines) {
		assert.ok([...line].length <= 80, `too wide: ${line}`);
	}
}

describe('people review screen', () => {
	test('at 80x24 a page holds 12 square face crops in a 6x2 grid with confidences, within the screen and without colour', async () => {
		const {frame} = screen([{kind: 'suggested', person: 'Anna'}]);
		await waitFor(() => frame().includes('llllllllllll'));
		fitsTheTerminal(frame());
		assert.doesNotMatch(frame(), /\u001B/, 'no escape codes with colour off (NO_COLOR)');
		const lines = frame().split('\n');
		assert.match(lines[0]!, /^Anna\? suggested · 1–12 of 15 · ✓0 ✗0 named 0/);
		assert.match(lines[1]!, /^aaaaaaaaaaaa bbbbbbbbbbbb cccccccccccc dddddddddddd eeeeeeeeeeee ffffffffffff$/);
		assert.equal(lines.filter(line => line.startsWith('aaaaaaaaaaaa')).length, 6, 'crops 6 rows high: square in half blocks');
		assert.match(lines[7]!, /^>0\.95 {9}0\.94/, 'labels under the first row, the first face chosen');
		assert.match(frame(), /photos\/a1\.jpg · f1 · Anna\? 0\.950/, 'the chosen face is named');
		assert.doesNotMatch(frame(), /mmmmmm/, 'the 13th face is on the next page');
	});

	test('space marks a wrong face; enter confirms the rest and rejects it as one batch; the next page moves in; u undoes it', async () => {
		const {stdin, batches, undone, frame} = screen([{kind: 'suggested', person: 'Anna'}]);
		await settle();
		stdin.write(keys.right);
		await settle();
		stdin.write(gridKeys.space);
		await waitFor(() => frame().includes('>0.94 ✗'));
		assert.match(frame(), />0\.94 ✗/);
		stdin.write(keys.enter);
		await waitFor(() => batches.length > 0 && frame().includes('batch 1'));
		assert.equal(batches.length, 1, 'the page is one batch');
		const decisions = batches[0]!.decisions;
		assert.deepEqual(
			decisions.filter(decision => decision.action === 'reject'),
			[{action: 'reject', faceId: 2, person: 'Anna'}],
		);
		assert.equal(decisions.filter(decision => decision.action === 'confirm').length, 11);
		assert.match(frame(), /Anna: 11 confirmed, 1 rejected · batch 1/);
		assert.match(frame(), /1–3 of 3 · ✓11 ✗1/, 'the three undecided faces remain');
		stdin.write('u');
		await waitFor(() => frame().includes('undid batch 1'));
		assert.deepEqual(undone, [1]);
		assert.match(frame(), /1–12 of 15 · ✓0 ✗0/, 'counts and queue as before');
	});

	test('an unnamed group: enter asks a name and names the unmarked faces of the page; a marked face stays unnamed', async () => {
		const {stdin, batches, frame, faces} = screen([{kind: 'unnamed', cluster: 7}]);
		await waitFor(() => frame().includes('unnamed group c7'));
		assert.match(frame(), />f100/);
		fitsTheTerminal(frame());
		assert.match(frame(), /\n←↑↓→ · space not them · enter name the rest · n name · \] skip · u undo · \? q$/, 'the whole key line fits');
		stdin.write(keys.right);
		await settle();
		stdin.write(gridKeys.space);
		await settle();
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('name 3 faces:'));
		stdin.write('Clara');
		await settle();
		assert.match(frame(), /name 3 faces: Clara▏/);
		stdin.write(keys.enter);
		await waitFor(() => batches.length > 0 && frame().includes('batch 1'));
		assert.deepEqual(batches[0]!.decisions, [{action: 'name', faceIds: [100, 102, 103], person: 'Clara'}]);
		assert.equal(faces().find(f => f.faceId === 101)!.person, null);
		assert.match(frame(), /1–1 of 1 · ✓0 ✗0 named 3/);
	});

	test('a name that is not one line of printable text is refused in one line and nothing changes', async () => {
		const {stdin, batches, frame} = screen([{kind: 'unnamed', cluster: 7}]);
		await settle();
		stdin.write(keys.enter);
		await settle();
		stdin.write('   ');
		await settle();
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('! a name is'));
		assert.match(frame(), /! a name is 1 to 100 printable characters on one line/);
		assert.equal(batches.length, 0);
	});

	test('n names the chosen face, s splits a named face off, m merges a person into another', async () => {
		const {stdin, batches, frame} = screen([
			{kind: 'suggested', person: 'Anna'},
			{kind: 'named', person: 'Ben'},
		]);
		await settle();
		stdin.write('n');
		await waitFor(() => frame().includes('name 1 face:'));
		stdin.write('Dora');
		stdin.write(keys.enter);
		await waitFor(() => batches.length === 1 && frame().includes('batch 1'));
		assert.deepEqual(batches[0]!.decisions, [{action: 'name', faceIds: [1], person: 'Dora'}]);
		stdin.write(']');
		await waitFor(() => frame().includes('13–14 of 14'));
		stdin.write(']');
		await waitFor(() => frame().includes('Ben: named faces'));
		assert.match(frame(), /Ben: named faces \(2\/2\) · 1–3 of 3/);
		assert.match(frame(), /\n←↑↓→ · space mark · enter split marked · n rename · m merge · u undo · \? · q$/, 'the whole key line fits');
		stdin.write('s');
		await waitFor(() => batches.length === 2 && frame().includes('batch 2'));
		assert.deepEqual(batches[1]!.decisions, [{action: 'split', faceId: 200}]);
		assert.match(frame(), /1 face split off Ben · batch 2/);
		stdin.write('m');
		await waitFor(() => frame().includes('merge Ben into:'));
		stdin.write('Benjamin');
		stdin.write(keys.enter);
		await waitFor(() => batches.length === 3 && frame().includes('Nothing left'));
		assert.deepEqual(batches[2]!.decisions, [{action: 'merge', from: 'Ben', into: 'Benjamin'}]);
		assert.match(frame(), /Nothing left to review/);
	});

	test('s on a suggestion explains instead of acting; a failed change shows its reason and keeps the page', async () => {
		const {stdin, batches, frame, failNext} = screen([{kind: 'suggested', person: 'Anna'}]);
		await settle();
		stdin.write('s');
		await waitFor(() => frame().includes('Only named faces'));
		assert.equal(batches.length, 0);
		failNext('disk full');
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('! disk full'));
		assert.match(frame(), /1–12 of 15/);
	});

	test('a group whose faces are gone meanwhile is passed over', async () => {
		const {frame} = screen([
			{kind: 'unnamed', cluster: 99},
			{kind: 'suggested', person: 'Anna'},
		]);
		await waitFor(() => frame().includes('Anna? suggested'));
		assert.match(frame(), /^Anna\? suggested \(2\/2\) · 1–12 of 15/);
	});

	test('with nothing to review it says so in one line', async () => {
		const {frame} = screen([]);
		await settle();
		assert.match(frame(), /^No faces wait for review\.\nu undoes the last change · q quits$/);
	});

	test('? shows every key within 80x24; esc closes it', async () => {
		const {stdin, frame} = screen([{kind: 'suggested', person: 'Anna'}]);
		await settle();
		stdin.write('?');
		await waitFor(() => frame().includes('Keys'));
		fitsTheTerminal(frame());
		for (const word of ['confirm', 'reject', 'name', 'merge', 'split', 'undo']) {
			assert.match(frame(), new RegExp(word), word);
		}

		stdin.write(keys.escape);
		await waitFor(() => frame().includes('Anna? suggested'));
		assert.match(frame(), /Anna\? suggested/);
	});

	test('terminal graphics get each crop of the page at its cell, and are hidden for the help', async () => {
		const graphics = {shown: [] as CropPlacement[][], hidden: 0};
		const {stdin} = screen([{kind: 'suggested', person: 'Anna'}], undefined, graphics);
		await waitFor(() => graphics.shown.length > 0);
		const last = graphics.shown.at(-1)!;
		assert.equal(last.length, 12);
		assert.deepEqual(
			last.slice(0, 2).map(({row, column, request}) => [row, column, request.faceId, request.columns, request.rows]),
			[
				[2, 1, 1, 12, 6],
				[2, 14, 2, 12, 6],
			],
		);
		assert.deepEqual([last[6]!.row, last[6]!.column], [9, 1], 'second row under the first row and its labels');
		stdin.write('?');
		await waitFor(() => graphics.hidden > 0);
		assert.ok(graphics.hidden > 0);
	});
});
