import assert from 'node:assert/strict';
import test from 'node:test';
import {fitBytes, fitFileName, fitName, maxNameBytes, utf8Bytes} from '../../source/core/file-name.js';
import {type LayoutFile, planLayout} from '../../source/core/layout-plan.js';
import {parsePattern, renderPattern} from '../../source/core/pattern.js';

const bytes = (text: string) => Buffer.byteLength(text);

test('a name is cut by its UTF-8 bytes, whole characters only: never half of é, of a CJK character or of an emoji', () => {
	for (const character of ['a', 'é', '写', '📷']) {
		const text = character.repeat(100);
		assert.equal(utf8Bytes(text), bytes(text));
		for (let limit = 0; limit <= 260; limit++) {
			const cut = fitBytes(text, limit);
			assert.ok(bytes(cut) <= limit, `${character} at ${limit}`);
			assert.ok(bytes(cut) > limit - bytes(character) || cut === text, `cut no further than one character needs: ${character} at ${limit}`);
			assert.equal(Buffer.from(cut).toString('utf8'), cut, 'valid UTF-8');
			assert.ok(text.startsWith(cut));
		}
	}
});

test('a suffixed name keeps its suffix and extension whole and fits in 255 bytes', () => {
	const name = fitName('é'.repeat(125) + 'x', ' (12).jpeg');
	assert.ok(name.endsWith('é (12).jpeg'));
	assert.ok(bytes(name) <= maxNameBytes && bytes(name) >= maxNameBytes - 1);
	assert.equal(fitFileName(`${'写'.repeat(90)}.jpg`), `${'写'.repeat(83)}.jpg`);
	assert.equal(fitFileName('IMG_0001.JPG'), 'IMG_0001.JPG', 'a name that fits is left alone');
});

const fields = {takenAt: '2022-08-20T15:04:10', dateIsFallback: false, make: 'Canon', model: 'EOS 7D'};

test('a photo named with 255 bytes keeps its extension under any pattern, and folders of long multi-byte tokens fit', () => {
	for (const fileName of [`${'a'.repeat(251)}.jpg`, `${'é'.repeat(125)}.jpeg`]) {
		for (const source of ['{year}', '{date}_{name}', '{date} {name}.{ext}']) {
			const target = renderPattern(parsePattern(source), {...fields, fileName});
			const name = target.slice(target.lastIndexOf('/') + 1);
			assert.ok(bytes(name) <= maxNameBytes, `${source}: ${bytes(name)} bytes`);
			assert.equal(name.slice(name.lastIndexOf('.')), fileName.slice(fileName.lastIndexOf('.')), source);
		}
	}

	// Two 64-character tokens of three-byte characters make a folder of 385 bytes.
	const event = '写'.repeat(64);
	const target = renderPattern(parsePattern('{event} {event}'), {...fields, event, fileName: 'IMG_1.JPG'});
	const folder = target.slice(0, target.indexOf('/'));
	assert.ok(bytes(folder) <= maxNameBytes, `${bytes(folder)} bytes`);
	assert.ok(folder.startsWith(`${event} 写`));
});

const file = (key: string, overrides: Partial<LayoutFile> = {}): LayoutFile => ({
	key,
	dir: 'card',
	name: key.slice(key.lastIndexOf('/') + 1),
	kind: /\.xmp$/i.test(key) ? 'sidecar' : /\.mov$/i.test(key) ? 'video' : 'image',
	takenAt: '2022-08-20T15:04:10',
	takenAtSource: 'original',
	mtimeMs: 0,
	make: null,
	model: null,
	...overrides,
});

test("a Live Photo and its sidecar with a 246-byte stem (so its sidecar's name is 255 bytes), suffixed on collision, keep one stem and every name fits", () => {
	const stem = 'é'.repeat(122) + 'xx';
	const files = [file(`card/${stem}.HEIC`, {livePhotoId: 'L'}), file(`card/${stem}.MOV`, {livePhotoId: 'L'}), file(`card/${stem}.HEIC.xmp`)];
	assert.ok(files.every(one => bytes(one.name) <= maxNameBytes));
	const taken = new Set(files.map(one => `2022/${one.name}`));
	const plan = planLayout(files, {pattern: parsePattern('{year}'), isTaken: target => taken.has(target)});
	const targets = plan.files.map(planned => planned.target.slice(5));
	const cut = targets[0]!.slice(0, targets[0]!.indexOf(' (1)'));
	assert.ok(stem.startsWith(cut) && cut.length < stem.length, targets[0]);
	assert.deepEqual(targets.sort(), [`${cut} (1).HEIC`, `${cut} (1).HEIC.xmp`, `${cut} (1).MOV`]);
	assert.ok(targets.every(target => bytes(target) <= maxNameBytes), targets.map(bytes).join(' '));
});
