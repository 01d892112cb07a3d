/**
 * The fine check and signature matching were made cheaper (reused buffers, no resampling of the whole frame, the
 * second side normalised only when a crop is searched): they must still give the results of the plain versions kept in
 * fine-check-reference.ts, bit for bit, or a search over a library would cluster differently than before.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resizeArea} from '../../source/core/perceptual.js';
import {matchSignatures, signatureSize} from '../../source/core/signature.js';
import {boxWeights} from '../../source/dupes/box-weights.js';
import {compareDetail, decodedMatch, type DetailOptions, detailSize} from '../../source/dupes/detail.js';
import {sensitivities} from '../../source/dupes/types.js';
import {referenceCompareDetail, referenceDecodedMatch, referenceMatchSignatures} from './fine-check-reference.js';
import {prngUnit} from '../helpers/prng.js';

const side = 200;
const random = prngUnit(15);

type Disc = {x: number; y: number; r: number; level: number};
type Scene = {waves: number[]; discs: Disc[]};

function scene(): Scene {
	return {
		waves: Array.from({length: 6}, () => 5 + random() * 40),
		discs: Array.from({length: 3}, () => ({x: random() * side, y: random() * side, r: 10 + random() * 35, level: random() * 255})),
	};
}

/** A scene drawn as grey levels, with noise (another encoder), a mark in the bottom right corner, or a moved disc. */
function draw(view: Scene, options: {noise?: number; mark?: boolean; moved?: boolean} = {}): Float32Array {
	const [a, b, c, d, e, f] = view.waves as [number, number, number, number, number, number];
	const discs = options.moved ? [{...view.discs[0]!, x: view.discs[0]!.x + 40, y: view.discs[0]!.y - 30}, ...view.discs.slice(1)] : view.discs;
	const gray = new Float32Array(side * side);
	for (let y = 0; y < side; y++) {
		for (let x = 0; x < side; x++) {
			let value = 128 + 50 * Math.sin(x / a) * Math.cos(y / b) + 30 * Math.sin((x + 2 * y) / c) + 10 * Math.cos((x - y) / d + e / f);
			for (const disc of discs) {
				if ((x - disc.x) ** 2 + (y - disc.y) ** 2 < disc.r ** 2) {
					value = disc.level;
				}
			}

			if (options.mark && x > 160 && x < 192 && y > 182 && y < 194) {
				value = 255;
			}

			gray[y * side + x] = Math.min(255, Math.max(0, value + (options.noise ?? 0) * (random() - 0.5)));
		}
	}

	return gray;
}

/** A region of a picture reduced to `cells` x `cells` by area, as scan makes its grids. */
function grid(gray: Float32Array, cells: number, region = {left: 0, top: 0, width: side, height: side}): Uint8Array {
	const cut = new Float32Array(region.width * region.height);
	for (let y = 0; y < region.height; y++) {
		cut.set(gray.subarray((y + region.top) * side + region.left, (y + region.top) * side + region.left + region.width), y * region.width);
	}

	return Uint8Array.from(resizeArea(cut, region.width, region.height, cells, cells), value => Math.round(value));
}

/** An uneven crop of 2-12 % per axis, anywhere from all from one edge to half and half. */
function cropRegion() {
	const cutX = Math.round(side * (0.02 + random() * 0.1));
	const cutY = Math.round(side * (0.02 + random() * 0.1));
	const left = Math.round(cutX * random());
	const top = Math.round(cutY * random());
	return {left, top, width: side - cutX, height: side - cutY};
}

function turn(grid: Uint8Array, cells: number, degrees: 90 | 180 | 270): Uint8Array {
	const out = new Uint8Array(grid.length);
	for (let y = 0; y < cells; y++) {
		for (let x = 0; x < cells; x++) {
			const [nx, ny] = degrees === 90 ? [cells - 1 - y, x] : degrees === 180 ? [cells - 1 - x, cells - 1 - y] : [y, cells - 1 - x];
			out[ny * cells + nx] = grid[y * cells + x]!;
		}
	}

	return out;
}

type Case = {name: string; a: Uint8Array; b: Uint8Array; signatureA: Uint8Array; signatureB: Uint8Array; options: DetailOptions};

/** Pairs of every kind verification meets: copies, marked copies, uneven crops, turned copies, moved subjects, strangers. */
function cases(): Case[] {
	const out: Case[] = [];
	const scenes = Array.from({length: 6}, () => scene());
	const centre = (fraction: number) => ({x: (1 - fraction) / 2, y: (1 - fraction) / 2, w: fraction, h: fraction});
	for (const [index, view] of scenes.entries()) {
		const original = draw(view, {noise: 2});
		const add = (name: string, copy: Float32Array, options: DetailOptions = {}, region?: ReturnType<typeof cropRegion>) => {
			out.push({name, a: grid(original, detailSize), b: grid(copy, detailSize, region), signatureA: grid(original, signatureSize), signatureB: grid(copy, signatureSize, region), options});
		};

		add('re-encoded copy', draw(view, {noise: 6}));
		add('copy with a corner mark', draw(view, {noise: 4, mark: true}));
		add('moved subject, as found only', draw(view, {noise: 4, moved: true}), {crops: false});
		add('moved subject, searched', draw(view, {noise: 4, moved: true}));
		add('stranger', draw(scenes[(index + 1) % scenes.length]!, {noise: 2}), {hints: [centre(0.95)]});
		add('uneven crop', draw(view, {noise: 4}), {hints: [centre(0.95), centre(0.9)]}, cropRegion());
		add('uneven crop with a mark', draw(view, {noise: 4, mark: true}), {maxCrop: 0.1}, cropRegion());
		add('uneven crop, not searched', draw(view, {noise: 4}), {crops: false, hints: [centre(0.9)]}, cropRegion());
		for (const degrees of [90, 180, 270] as const) {
			// The copy was turned by `degrees`; the fine check turns the first grid back: a turned copy, and a wrong turn.
			const copy = draw(view, {noise: 4});
			const turned = {a: turn(grid(copy, detailSize), detailSize, degrees), signatureA: turn(grid(copy, signatureSize), signatureSize, degrees)};
			const back = (360 - degrees) as 90 | 180 | 270;
			out.push({name: `copy turned ${degrees}`, ...turned, b: grid(original, detailSize), signatureB: grid(original, signatureSize), options: {rotation: back}});
			out.push({name: `copy turned ${degrees}, turned the wrong way`, ...turned, b: grid(original, detailSize), signatureB: grid(original, signatureSize), options: {rotation: degrees, hints: [centre(0.9)]}});
		}
	}

	// Flat and nearly flat grids (a deviation of 0, a single odd cell).
	const flat = new Uint8Array(detailSize * detailSize).fill(90);
	const dot = Uint8Array.from(flat, (value, i) => (i === 37 ? 200 : value));
	const flatSignature = new Uint8Array(signatureSize * signatureSize).fill(90);
	out.push({name: 'flat grids', a: flat, b: flat, signatureA: flatSignature, signatureB: flatSignature, options: {}});
	out.push({name: 'flat and a dot', a: flat, b: dot, signatureA: flatSignature, signatureB: Uint8Array.from(flatSignature, (value, i) => (i === 3 ? 200 : value)), options: {}});
	return out;
}

const all = cases();

test('the whole frame\'s box weights are exactly 1 on the diagonal: resampling it is a copy, which the fine check skips', () => {
	const weights = boxWeights(detailSize, 0, 1);
	for (let i = 0; i < detailSize; i++) {
		for (let c = 0; c < detailSize; c++) {
			assert.equal(weights[i * detailSize + c], i === c ? 1 : 0);
		}
	}
});

test('the fine check gives the plain version\'s result bit for bit: copies, marks, uneven crops, turns, moved subjects', () => {
	const seen = new Set<string>();
	for (const sensitivity of ['strict', 'normal', 'loose'] as const) {
		const tuning = sensitivities[sensitivity].detail;
		for (const {name, a, b, options} of all) {
			for (const [first, second, way] of [[a, b, ''], [b, a, ', the other way round']] as const) {
				const want = referenceCompareDetail(first, second, tuning, options);
				// deepStrictEqual compares numbers with Object.is: every digit, and -0 apart from 0.
				assert.deepStrictEqual(compareDetail(first, second, tuning, options), want, `${name}${way} (${sensitivity})`);
				seen.add(`${want.passes ? 'passes' : 'fails'} ${want.overlay > 0 ? 'overlay' : ''} ${want.window.w === 1 && want.window.h === 1 ? 'whole' : 'window'} ${want.within}`);
			}
		}
	}

	// The cases reach every path: passing and failing, a corner set aside, a crop window found on either side.
	for (const path of ['passes  whole 0', 'fails  whole 0', 'passes overlay whole 0', 'passes  window 0', 'passes  window 1']) {
		assert.ok(seen.has(path), `no case ${path}: ${[...seen].join('; ')}`);
	}
});

test('a damaged copy is scored against the decoded part as before, bit for bit', () => {
	for (const {name, a, b} of all) {
		for (const share of [{x: 1, y: 0.6}, {x: 0.5, y: 1}, {x: 0.9, y: 0.95}]) {
			assert.ok(Object.is(decodedMatch(a, b, share), referenceDecodedMatch(a, b, share)), `${name} ${JSON.stringify(share)}`);
		}
	}
});

test('signature matching gives the plain version\'s result bit for bit, turned and with centre crops', () => {
	for (const {name, signatureA, signatureB, options} of all) {
		for (const crops of [undefined, [1, 0.95, 0.9]]) {
			const rotation = options.rotation ?? 0;
			assert.deepStrictEqual(matchSignatures(signatureA, signatureB, rotation, crops), referenceMatchSignatures(signatureA, signatureB, rotation, crops), name);
			assert.deepStrictEqual(matchSignatures(signatureB, signatureA, 0, crops), referenceMatchSignatures(signatureB, signatureA, 0, crops), `${name}, the other way round`);
		}
	}
});

test('signature matching with no crops gives the plain version\'s result bit for bit in every turn, on noise, flat grids and opposites', () => {
	const cells = signatureSize * signatureSize;
	const noise = () => Uint8Array.from({length: cells}, () => Math.floor(random() * 256));
	const flat = new Uint8Array(cells).fill(77);
	const ramp = Uint8Array.from({length: cells}, (_, i) => i % 256);
	const opposite = Uint8Array.from(ramp, value => 255 - value);
	const grids: Array<[string, Uint8Array, Uint8Array]> = [
		['flat against a ramp', flat, ramp],
		['a ramp against itself', ramp, ramp],
		['a ramp against its opposite', ramp, opposite],
		['flat against flat', flat, flat],
		...Array.from({length: 200}, (_, k): [string, Uint8Array, Uint8Array] => {
			const a = noise();
			// Half of them a noisy copy, so the correlations cover the whole range.
			const b = k % 2 ? Uint8Array.from(a, value => Math.min(255, Math.max(0, value + Math.floor((random() - 0.5) * 40)))) : noise();
			return [`noise ${k}`, a, b];
		}),
	];
	for (const [name, a, b] of grids) {
		for (const rotation of [0, 90, 180, 270] as const) {
			assert.deepStrictEqual(matchSignatures(a, b, rotation), referenceMatchSignatures(a, b, rotation), `${name}, turned ${rotation}`);
		}
	}
});
