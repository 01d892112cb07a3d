import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {ReviewScreen} from '../../../source/ui/review/review-screen.js';
import {waitFor} from '../../helpers/keys.js';
import {cluster, fakeServices, member} from '../../helpers/review-fakes.js';

afterEach(() => {
	cleanup();
});

test('the review card calls a same-pixels copy "same pixels, different metadata", never re-encoded', async () => {
	const clusters = [
		{
			...cluster('dddddddddddd', [
				member('2019/DSC_0412.jpg', {sha256: 'a'.repeat(64), reasons: ['camera original over a copy with the same pixels and different metadata (JPEG with NIKON D750 EXIF)']}),
				member('variants/DSC_0412_nometa.jpg', {sha256: 'b'.repeat(64), match: 'pixels', camera: 'no camera', gps: false, reasons: ['same pixels, different metadata (no camera metadata); the keeper is camera original (JPEG with NIKON D750 EXIF)']}),
			]),
			kind: 'pixels' as const,
		},
	];
	const ink = render(<ReviewScreen clusters={clusters} progress={{current: null, skipped: [], freed: 0}} services={fakeServices().services} colour={false} size={{columns: 120, rows: 30}} />);
	const frame = () => ink.lastFrame() ?? '';
	await waitFor(() => frame().includes('2/2'));
	assert.match(frame(), /2\/2 same pixels, different metadata/);
	assert.match(frame(), /- same pixels, different metadata/);
	assert.doesNotMatch(frame(), /re-encoded/);
});
