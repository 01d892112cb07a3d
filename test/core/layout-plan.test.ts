import assert from 'node:assert/strict';
import test from 'node:test';
import {groupCompanions} from '../../source/core/companions.js';
import {commonLabel, groupEvents} from '../../source/core/events.js';
import {type LayoutFile, planLayout} from '../../source/core/layout-plan.js';
import {parsePattern} from '../../source/core/pattern.js';

const file = (key: string, overrides: Partial<LayoutFile> = {}): LayoutFile => ({
	key,
	dir: key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '',
	name: key.slice(key.lastIndexOf('/') + 1),
	kind: /\.xmp$/i.test(key) ? 'sidecar' : /\.(cr2|dng|nef)$/i.test(key) ? 'raw' : /\.mov$/i.test(key) ? 'video' : 'image',
	takenAt: '2022-08-20T15:04:10',
	takenAtSource: 'original',
	mtimeMs: Date.UTC(2024, 0, 1),
	make: 'Apple',
	model: 'iPhone 12',
	...overrides,
});

const byKey = (plan: ReturnType<typeof planLayout>) => new Map(plan.files.map(planned => [planned.key, planned.target]));
const pattern = parsePattern('{year}/{year}-{month}-{day}');

test('companions: Live Photo by ContentIdentifier across folders, RAW+JPEG by stem, both sidecar styles', () => {
	const {units, orphans} = groupCompanions([
		file('DCIM/100APPLE/IMG_0001.HEIC', {livePhotoId: 'L1'}),
		file('DCIM/101APPLE/IMG_9999.MOV', {livePhotoId: 'L1'}),
		file('DCIM/100CANON/IMG_0002.CR2'),
		file('DCIM/100CANON/IMG_0002.JPG'),
		file('DCIM/100CANON/IMG_0002.xmp'),
		file('DCIM/100CANON/IMG_0003.JPG'),
		file('DCIM/100CANON/IMG_0003.JPG.xmp'),
		file('DCIM/100CANON/lost.xmp'),
		file('DCIM/100CANON/img_0002.jpg.bak.xmp'),
	]);
	assert.deepEqual(orphans, ['DCIM/100CANON/lost.xmp', 'DCIM/100CANON/img_0002.jpg.bak.xmp']);
	const live = units.find(unit => unit.leader === 'DCIM/100APPLE/IMG_0001.HEIC')!;
	assert.deepEqual(live.members.map(member => [member.key, member.role]), [['DCIM/100APPLE/IMG_0001.HEIC', 'primary'], ['DCIM/101APPLE/IMG_9999.MOV', 'live-video']]);
	const pair = units.find(unit => unit.leader === 'DCIM/100CANON/IMG_0002.JPG')!;
	assert.deepEqual(
		pair.members.map(member => [member.key, member.role, member.sidecarOf]),
		[['DCIM/100CANON/IMG_0002.CR2', 'raw', undefined], ['DCIM/100CANON/IMG_0002.JPG', 'primary', undefined], ['DCIM/100CANON/IMG_0002.xmp', 'sidecar', 'DCIM/100CANON/IMG_0002.CR2']],
	);
	assert.equal(units.find(unit => unit.leader === 'DCIM/100CANON/IMG_0003.JPG')!.members.length, 2);
	assert.equal(units.length, 3);
});

test('events: a gap over the limit starts a new event, named from the day and the most common label', () => {
	const events = groupEvents([
		{key: 'a', takenAt: '2022-08-20T09:00:00', labels: ['beach', 'sea']},
		{key: 'b', takenAt: '2022-08-20T14:59:00', labels: ['Beach']},
		{key: 'c', takenAt: '2022-08-20T21:00:00'},
		{key: 'd', takenAt: '2022-08-21T02:00:00'},
		{key: 'e', takenAt: null},
		{key: 'f', takenAt: '2022-08-20T21:30:00+02:00'},
	]);
	assert.deepEqual(events.map(event => [event.name, event.keys]), [['2022-08-20 beach', ['a', 'b']], ['2022-08-20', ['c', 'f', 'd']]]);
	assert.deepEqual(groupEvents([{key: 'a', takenAt: '2022-08-20T09:00:00'}, {key: 'b', takenAt: '2022-08-20T11:00:00'}], 3_600_000).map(event => event.name), ['2022-08-20', '2022-08-20-2']);
	assert.equal(commonLabel(['x', 'Y', 'y']), 'Y');
	assert.equal(commonLabel([]), undefined);
});

test('plan: dated folders, companions share folder and suffix on collision, bursts share the first frame\'s folder', () => {
	const taken = new Set(['2022/2022-08-20/IMG_0002.JPG']);
	const plan = planLayout(
		[
			file('card/IMG_0001.HEIC', {livePhotoId: 'L1'}),
			file('card/IMG_0001.MOV', {livePhotoId: 'L1', takenAt: null, takenAtSource: null}),
			file('card/IMG_0002.JPG'),
			file('card/IMG_0002.DNG', {takenAt: null, takenAtSource: null}),
			file('card/IMG_0002.DNG.xmp'),
			file('other/IMG_0001.HEIC', {takenAt: '2022-08-20T16:00:00'}),
			file('burst/B1.JPG', {burstId: 'BU', takenAt: '2022-08-20T23:59:59'}),
			file('burst/B2.JPG', {burstId: 'BU', takenAt: '2022-08-21T00:00:01'}),
			file('undated/scan.png', {takenAt: '2019-01-02T03:04:05.000Z', takenAtSource: 'mtime'}),
		],
		{pattern, isTaken: target => taken.has(target)},
	);
	const targets = byKey(plan);
	assert.equal(targets.get('card/IMG_0001.HEIC'), '2022/2022-08-20/IMG_0001.HEIC');
	assert.equal(targets.get('card/IMG_0001.MOV'), '2022/2022-08-20/IMG_0001.MOV');
	// The name is taken in the library: the whole RAW+JPEG unit and its sidecar move to the same suffix.
	assert.equal(targets.get('card/IMG_0002.JPG'), '2022/2022-08-20/IMG_0002 (1).JPG');
	assert.equal(targets.get('card/IMG_0002.DNG'), '2022/2022-08-20/IMG_0002 (1).DNG');
	assert.equal(targets.get('card/IMG_0002.DNG.xmp'), '2022/2022-08-20/IMG_0002 (1).DNG.xmp');
	// Two files of the same name from different card folders never overwrite each other.
	assert.equal(targets.get('other/IMG_0001.HEIC'), '2022/2022-08-20/IMG_0001 (1).HEIC');
	assert.equal(targets.get('burst/B2.JPG'), '2022/2022-08-20/B2.JPG');
	assert.equal(targets.get('undated/scan.png'), '2019/2019-01-02/scan.png');
	assert.equal(plan.files.find(planned => planned.key === 'undated/scan.png')!.dateSource, 'mtime');
	assert.equal(new Set(targets.values()).size, targets.size);

	const strict = planLayout([file('undated/scan.png', {takenAt: '2019-01-02T03:04:05.000Z', takenAtSource: 'mtime'})], {pattern, undated: 'unknown', isTaken: () => false});
	assert.equal(strict.files[0]!.target, 'unknown/unknown-unknown-unknown/scan.png');
	assert.equal(strict.files[0]!.dateSource, 'none');
});

test('plan: a lone sidecar named by stem goes with the RAW; collisions are case-insensitive', () => {
	const plan = planLayout([file('c/A.NEF'), file('c/A.JPG'), file('c/A.xmp'), file('d/a.jpg')], {pattern, isTaken: () => false});
	const targets = byKey(plan);
	assert.equal(targets.get('c/A.xmp'), '2022/2022-08-20/A.xmp');
	assert.equal(targets.get('d/a.jpg'), '2022/2022-08-20/a (1).jpg');
});

test('organize plan: files already in place stay unchanged, and a second plan is a no-op', () => {
	const files = [file('old/x/IMG_1.JPG'), file('old/y/IMG_1.JPG'), file('2022/2022-08-20/IMG_2.JPG')].map(entry => ({...entry, current: entry.key}));
	const onDisk = new Set(files.map(entry => entry.key));
	const plan = planLayout(files, {pattern, isTaken: target => onDisk.has(target)});
	const moved = plan.files.filter(planned => !planned.unchanged);
	assert.deepEqual(moved.map(planned => planned.target).sort(), ['2022/2022-08-20/IMG_1 (1).JPG', '2022/2022-08-20/IMG_1.JPG']);
	assert.equal(plan.files.find(planned => planned.key === '2022/2022-08-20/IMG_2.JPG')!.unchanged, true);

	const after = plan.files.map(planned => {
		const original = files.find(entry => entry.key === planned.key)!;
		return {...original, key: planned.target, dir: planned.target.slice(0, planned.target.lastIndexOf('/')), name: planned.target.slice(planned.target.lastIndexOf('/') + 1), current: planned.target};
	});
	const again = planLayout(after, {pattern, isTaken: target => after.some(entry => entry.key === target)});
	assert.ok(again.files.every(planned => planned.unchanged));
});

test('plan: {event} folders follow capture gaps', () => {
	const plan = planLayout(
		[file('a.jpg', {takenAt: '2022-08-20T09:00:00', labels: ['Beach']}), file('b.jpg', {takenAt: '2022-08-20T12:00:00'}), file('c.jpg', {takenAt: '2022-08-25T12:00:00'})],
		{pattern: parsePattern('{year}/{event}'), isTaken: () => false},
	);
	assert.deepEqual([...byKey(plan).values()], ['2022/2022-08-20 Beach/a.jpg', '2022/2022-08-20 Beach/b.jpg', '2022/2022-08-25/c.jpg']);
});

test('tree preview: folders with counts, a few files each with their origin, escapes made visible', async () => {
	const {renderTree} = await import('../../source/core/tree.js');
	const lines = renderTree(
		[
			{from: 'old/a.jpg', to: '2022/2022-08-20/a.jpg'},
			{from: 'old/b.jpg', to: '2022/2022-08-20/b.jpg'},
			{from: 'old/c.jpg', to: '2022/2022-08-21/c.jpg'},
			{from: 'x/\u001B[2Jevil.jpg', to: '2021/2021-01-01/\u001B[2Jevil.jpg'},
		],
		{filesPerFolder: 1},
	);
	assert.deepEqual(lines, [
		'2021/  (1 file)',
		'  2021-01-01/  (1 file)',
		String.raw`    \e[2Jevil.jpg  <- x/\e[2Jevil.jpg`,
		'2022/  (3 files)',
		'  2022-08-20/  (2 files)',
		'    a.jpg  <- old/a.jpg',
		'    … and 1 more',
		'  2022-08-21/  (1 file)',
		'    c.jpg  <- old/c.jpg',
	]);
});

test('organize keeps a folder the user named "2019-05-03 Paris" instead of renaming it "2019-05-03 friends"', () => {
	const pattern = parsePattern('{year}/{event}');
	const at = (key: string, takenAt: string) => file(key, {current: key, takenAt, labels: ['friends']});
	const plan = planLayout([at('2019/2019-05-03 Paris/a.jpg', '2019-05-03T10:00:00'), at('2019/2019-05-03 Paris/b.jpg', '2019-05-03T12:00:00'), at('misc/c.jpg', '2019-06-01T12:00:00')], {pattern, isTaken: () => false});
	assert.deepEqual(plan.files.map(planned => [planned.key, planned.target, planned.unchanged]), [
		['2019/2019-05-03 Paris/a.jpg', '2019/2019-05-03 Paris/a.jpg', true],
		['2019/2019-05-03 Paris/b.jpg', '2019/2019-05-03 Paris/b.jpg', true],
		['misc/c.jpg', '2019/2019-06-01 friends/c.jpg', false],
	]);
	assert.deepEqual(plan.events.map(event => event.name), ['2019-05-03 Paris', '2019-06-01 friends']);
	// Photos of the event spread over two folders: the generated name stands.
	const spread = planLayout([at('2019/2019-05-03 Paris/a.jpg', '2019-05-03T10:00:00'), at('inbox/b.jpg', '2019-05-03T12:00:00')], {pattern, isTaken: () => false});
	assert.deepEqual(spread.events.map(event => event.name), ['2019-05-03 friends']);
});
