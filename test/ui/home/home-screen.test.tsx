import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import type {HomeSummary} from '../../../source/home/summary.js';
import {HomeScreen} from '../../../source/ui/home/home-screen.js';
import {ago, type HomeChoice} from '../../../source/ui/home/lines.js';
import {gridKeys, keys, settle, waitFor} from '../../helpers/keys.js';

const size = {columns: 80, rows: 24};
const now = new Date('2024-06-10T12:00:00Z');

const busy: HomeSummary = {
	root: '/volume1/photo',
	files: 12_345,
	bytes: 98_700_000_000,
	photos: 12_000,
	videos: 300,
	years: [
		{key: '2009', files: 100, bytes: 1},
		{key: '2019', files: 6000, bytes: 1},
		{key: '2024', files: 6200, bytes: 1},
		{key: 'unknown', files: 45, bytes: 1},
	],
	cameras: [
		{name: 'Apple iPhone 12', files: 9000},
		{name: 'NIKON D750', files: 2000},
		{name: 'Canon EOS 80D', files: 1000},
		{name: 'samsung SM-G991B', files: 300},
	],
	duplicates: {clusters: 42, reclaimableBytes: 3_400_000_000},
	tagReview: {suggestions: 17, tags: 3, below: 0.6},
	neverVerified: 500,
	knownDamaged: 0,
	trash: {files: 20, bytes: 80_000_000, expiredFiles: 12, expiredBytes: 50_000_000, retentionDays: 30},
	lastScan: {at: '2024-06-08T12:00:00Z', state: 'done'},
	changedFolders: ['2024/2024-06-09 Beach'],
	lastBackup: {target: '/volumeUSB1/backup', finishedAt: '2024-06-01T11:00:00Z', ageDays: 9},
	next: {args: ['scan', '/volume1/photo'], command: 'curate scan', reason: 'photos added or gone since the last scan'},
};

const quiet: HomeSummary = {
	...busy,
	duplicates: {clusters: 0, reclaimableBytes: 0},
	tagReview: {suggestions: 0, tags: 0, below: 0.6},
	neverVerified: 0,
	trash: {files: 0, bytes: 0, expiredFiles: 0, expiredBytes: 0, retentionDays: 30},
	changedFolders: [],
	lastBackup: null,
	next: null,
};

afterEach(() => {
	cleanup();
});

function screen(summary: HomeSummary, message?: string) {
	const chosen: HomeChoice[] = [];
	const ink = render(<HomeScreen summary={summary} onChoose={choice => chosen.push(choice)} message={message} now={now} size={size} />);
	return {...ink, chosen, frame: () => ink.lastFrame() ?? ''};
}

describe('home screen', () => {
	test('shows what the library holds, what waits, and a menu, within 80x24', async () => {
		const {frame} = screen(busy, 'curate verify finished with exit code 0.');
		await waitFor(() => frame().includes('Quit'));
		const text = frame();
		assert.match(text, /Curate · \/volume1\/photo/);
		assert.match(text, /12000 photos, 300 videos, 45 other files · 98\.7 GB/);
		assert.match(text, /Taken: 2009–2024, most in 2024 \(6200\); 45 undated/);
		assert.match(text, /Cameras: Apple iPhone 12 \(9000\), NIKON D750 \(2000\), 2 more\n/, 'as many cameras as fit whole');
		assert.match(text, /• Duplicates +42 clusters to review, 3\.4 GB to reclaim/);
		assert.match(text, /• Tags +17 suggestions below 0\.60 to review \(3 tags\)/);
		assert.match(text, /• Verify +500 files never verified/);
		assert.match(text, /• Trash +12 files \(50\.0 MB\) older than 30 days: curate purge/);
		assert.match(text, /Backup +last 9 days ago, to \/volumeUSB1\/backup/);
		assert.match(text, /• Scan +photos added or gone in 2024\/2024-06-09 Beach/);
		assert.match(text, /❯ Review duplicates \(42 clusters\)\n +Review tags \(17 suggestions\)\n +Run curate scan: photos added or gone since the last scan\n +Quit/);
		assert.match(text, /curate verify finished with exit code 0\./);
		assert.match(text, /↑↓ move · enter run · 1–4 run directly · q quit/);
		const lines = text.split('\n');
		assert.ok(lines.length <= 23, `${lines.length} lines`);
		assert.ok(lines.every(line => [...line].length <= 80), text);
	});

	test('a menu entry only for what waits; nothing waiting leaves quit', async () => {
		const {frame} = screen(quiet);
		await waitFor(() => frame().includes('Quit'));
		assert.doesNotMatch(frame(), /Review duplicates|Review tags|Run curate/);
		assert.match(frame(), /❯ Quit\n\nq quit$/);
		assert.match(frame(), /Duplicates +none found/);
		assert.match(frame(), /Backup +never \(curate backup --to DIR\)/);
		assert.match(frame(), /Scan +last 2 days ago, nothing new since/);
	});

	test('arrows and j/k move, enter chooses the entry under the pointer, a number chooses its entry', async () => {
		const {frame, stdin, chosen} = screen(busy);
		// After each frame, a pause: the menu takes its next key handler in an effect after the frame is drawn.
		const press = async (key: string, until: () => boolean) => {
			stdin.write(key);
			await waitFor(until);
			await settle(100);
		};

		await waitFor(() => frame().includes('Quit'));
		await settle(100);
		await press(gridKeys.down, () => /❯ Review tags/.test(frame()));
		assert.match(frame(), /❯ Review tags/);
		await press('j', () => /❯ Run curate scan/.test(frame()));
		assert.match(frame(), /❯ Run curate scan/);
		await press('k', () => /❯ Review tags/.test(frame()));
		assert.match(frame(), /❯ Review tags/);
		await press(keys.enter, () => chosen.length > 0);
		assert.deepEqual(chosen, ['tags']);
		// A number runs its entry at once.
		await press('3', () => chosen.length > 1);
		assert.deepEqual(chosen, ['tags', 'next']);
	});

	test('q and escape quit', async () => {
		const first = screen(busy);
		await waitFor(() => first.frame().includes('Quit'));
		first.stdin.write('q');
		await waitFor(() => first.chosen.length > 0);
		assert.deepEqual(first.chosen, ['quit']);
		cleanup();
		const second = screen(busy);
		await waitFor(() => second.frame().includes('Quit'));
		second.stdin.write(keys.escape);
		await waitFor(() => second.chosen.length > 0, 3000);
		assert.deepEqual(second.chosen, ['quit']);
	});

	test('text from files reaches the terminal as text; a long library path is shortened in its middle', async () => {
		const {frame} = screen({...busy, root: `/volume1/${'very-long-folder-name/'.repeat(6)}photo`, cameras: [{name: 'Evil\u001B[31mCam', files: 1}], changedFolders: ['x\u001B]0;pwn\u0007']});
		await waitFor(() => frame().includes('Quit'));
		assert.doesNotMatch(frame(), /\u001B/);
		assert.match(frame(), /Evil\\e\[31mCam/);
		assert.match(frame(), /Curate · \/volume1\/very-long.*…/);
		assert.ok(frame().split('\n').every(line => [...line].length <= 80));
	});

	test('ages read coarsely', () => {
		assert.equal(ago('2024-06-10T11:59:30Z', now), 'just now');
		assert.equal(ago('2024-06-10T11:55:00Z', now), '5 minutes ago');
		assert.equal(ago('2024-06-10T11:00:00Z', now), '1 hour ago');
		assert.equal(ago('2024-05-10T12:00:00Z', now), '31 days ago');
	});
});
