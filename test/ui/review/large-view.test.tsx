import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import type {GraphicsBox, GraphicsRequest, GraphicsSource} from '../../../source/review/types.js';
import {ReviewScreen} from '../../../source/ui/review/review-screen.js';
import {keys, waitFor} from '../../helpers/keys.js';
import {cluster, fakeServices, member} from '../../helpers/review-fakes.js';

afterEach(() => {
	cleanup();
});

/** Records what the screen asks of terminal graphics; `fail` makes show reject (no preview). */
function fakeGraphics(fail?: string) {
	const events: string[] = [];
	const shown: Array<{request: GraphicsRequest; box: GraphicsBox}> = [];
	const graphics: GraphicsSource = {
		name: 'fake',
		async show(request, box) {
			events.push(`show ${request.path}`);
			shown.push({request, box});
			if (fail) {
				throw new Error(fail);
			}
		},
		hide() {
			events.push('hide');
		},
	};
	return {graphics, events, shown};
}

const clusters = [cluster('aaaaaaaaaaaa', [member('2019/IMG_1.jpg', {sha256: 'a'.repeat(64), kind: 'image', orientation: 6}), member('copy/IMG_1.jpg', {sha256: 'b'.repeat(64)})])];

function screen(graphics?: GraphicsSource) {
	const fakes = fakeServices();
	const ink = render(<ReviewScreen clusters={clusters} progress={{current: null, skipped: [], freed: 0}} services={{...fakes.services, ...(graphics ? {graphics} : {})}} colour={false} size={{columns: 80, rows: 24}} />);
	return {...ink, frame: () => ink.lastFrame() ?? ''};
}

describe('large view with terminal graphics', () => {
	test('enter asks for the chosen photo in the box above the details, leaves those rows blank, and esc erases it first', async () => {
		const {graphics, events, shown} = fakeGraphics();
		const {stdin, frame} = screen(graphics);
		await waitFor(() => frame().includes('aaaaaaaaaa'));
		stdin.write('l');
		stdin.write(keys.enter);
		await waitFor(() => shown.length > 0);
		assert.deepEqual(shown[0], {request: {path: 'copy/IMG_1.jpg', sha256: 'b'.repeat(64), format: 'jpeg', kind: 'image', orientation: null}, box: {row: 1, column: 1, columns: 79, rows: 17}});
		const lines = frame().split('\n');
		assert.ok(lines.slice(0, 17).every(line => line.trim() === ''), 'the picture rows are blank in Ink');
		assert.match(lines[17]!, /copy\/IMG_1\.jpg/);
		assert.doesNotMatch(frame(), /bbbbbbbbbb/, 'no half-block picture under the graphic');
		stdin.write(keys.escape);
		await waitFor(() => frame().includes('cluster 1 of 1'));
		assert.deepEqual(events, ['show copy/IMG_1.jpg', 'hide']);
	});

	test('when there is no preview to draw, the half-block picture takes its place', async () => {
		const {graphics} = fakeGraphics('no preview for a video');
		const {stdin, frame} = screen(graphics);
		await waitFor(() => frame().includes('aaaaaaaaaa'));
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('a'.repeat(79)));
		assert.match(frame(), new RegExp(`^${'a'.repeat(79)}`, 'm'));
	});

	test('without graphics (tmux, NO_COLOR, plain terminals) the large view is the half-block picture', async () => {
		const {stdin, frame} = screen();
		await waitFor(() => frame().includes('aaaaaaaaaa'));
		stdin.write(keys.enter);
		await waitFor(() => frame().includes('a'.repeat(79)));
		assert.match(frame(), /enter or esc: back to the cluster/);
	});
});
