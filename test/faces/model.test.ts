// The face model on real photos of the corpus (issue 19), with the weights shipped in @vladmandic/human: faces counted
// by hand are found, photos without a face (including the hard ones: a dog, the moon, leaves, a sunset) get none, and
// one face under resize, re-encode, crop and brightness keeps a descriptor closer than the same-face threshold while
// faces of different people stay farther. One model is loaded for the whole file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import sharp from 'sharp';
import {sameFaceThreshold, similarity} from '../../source/faces/cluster.js';
import {type DetectedFace, type FaceModel, loadFaceModel} from '../../source/faces/model.js';
import {facePreview} from '../../source/faces/preview.js';
import {corpusDir, needsCorpus} from '../helpers/temp.js';

/**
 * Counted by hand from the pictures (every face a person would tag, oriented as shown). Photos whose faces the model
 * is known to miss or over-count are listed in the README (People), not here: the JVC camcorder still (a baby's face
 * missed), the kayak race and the wedding (small background faces), and gps/DSCN0040.jpg (a carving over a church
 * door taken for a face).
 */
const withFaces: ReadonlyArray<readonly [string, number]> = [
	['cameras/Canon_EOS_7D.jpg', 1],
	['cameras/Canon_EOS_REBEL_T3i.jpg', 1],
	['cameras/Kodak_DX6490.jpg', 2],
	// A man and his reflection in the train window.
	['cameras/Samsung_GT-I9000_Galaxy_S.jpg', 2],
	['cameras/Konica_Q-M100.jpg', 1],
	['exif-makers/Konica_Minolta_DiMAGE_Z3.jpg', 1],
	['formats/tiff/Epson_PerfectionV800_scan.tiff', 2],
];

/** No face, by hand; the first five scored 0.57–0.62 as faces before the detection threshold was set to 0.65. */
const withoutFaces: readonly string[] = [
	'cameras/FujiFilm_MX-1200.jpg',
	'cameras/Kodak_PIXPRO_FZ201.jpg',
	'exif-makers/Ricoh_Caplio_RR330.jpg',
	'exif-makers/exif-org_nikon-e950.jpg',
	'exif-makers/Fujifilm_FinePix6900ZOOM.jpg',
	'cameras/Nikon_D5000.jpg',
	'formats/png/tree_rgba_640x513.png',
];

const formatOf = (file: string) => (file.endsWith('.tiff') ? 'tiff' : file.endsWith('.png') ? 'png' : 'jpeg');

describe('face model on the corpus', {skip: needsCorpus}, () => {
	let model: FaceModel;
	const found = new Map<string, DetectedFace[]>();
	const detect = async (file: string) => {
		const cached = found.get(file);
		if (cached) {
			return cached;
		}

		const faces = await model.detect(await facePreview({absolute: path.join(corpusDir, file), thumb: null, format: formatOf(file)}, corpusDir));
		found.set(file, faces);
		return faces;
	};

	before(async () => {
		model = await loadFaceModel();
	});

	test('every fixture names a file of the corpus', () => {
		const files = new Set<string>();
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) {
					walk(full);
				} else {
					files.add(path.relative(corpusDir, full));
				}
			}
		};

		walk(corpusDir);
		for (const file of [...withFaces.map(([file]) => file), ...withoutFaces]) {
			assert.ok(files.has(file), `${file} is not in the corpus any more`);
		}
	});

	for (const [file, count] of withFaces) {
		test(`finds the ${count} ${count === 1 ? 'face' : 'faces'} counted by hand in ${file}`, async () => {
			const faces = await detect(file);
			assert.equal(faces.length, count);
			for (const face of faces) {
				assert.ok(face.score >= 0.65 && face.score <= 1, `score ${face.score}`);
				assert.ok(face.x >= 0 && face.y >= 0 && face.x + face.width <= 1.000_001 && face.y + face.height <= 1.000_001, 'box inside the picture');
				assert.equal(face.embedding.length, 1024);
				assert.ok(Math.abs(similarity(face.embedding, face.embedding) - 1) < 1e-4, 'descriptor normalised');
			}
		});
	}

	test('finds no face in photos without one', async () => {
		for (const file of withoutFaces) {
			assert.deepEqual((await detect(file)).map(face => face.score), [], file);
		}
	});

	test('an upright face is found where it is shown: the box follows EXIF orientation', async () => {
		// The 7D portrait stored sideways (orientation 6 = rotate 90° clockwise to show): the face must come out where
		// it is in the upright original, not in the stored pixels.
		const source = path.join(corpusDir, 'cameras/Canon_EOS_7D.jpg');
		const [upright] = await detect('cameras/Canon_EOS_7D.jpg');
		const sideways = path.join(fs.mkdtempSync('/tmp/curate-faces-'), 'sideways.jpg');
		await sharp(source).rotate(-90).withMetadata({orientation: 6}).jpeg({quality: 92}).toFile(sideways);
		const [face] = await model.detect(await facePreview({absolute: sideways, thumb: null, format: 'jpeg'}, corpusDir));
		assert.ok(face && upright);
		assert.ok(Math.abs(face.x - upright.x) < 0.03 && Math.abs(face.y - upright.y) < 0.03, `box ${face.x},${face.y} vs ${upright.x},${upright.y}`);
		assert.ok(similarity(face.embedding, upright.embedding) >= sameFaceThreshold);
	});

	const variantsOf = async (file: string, face: DetectedFace) => {
		const original = await sharp(path.join(corpusDir, file)).rotate().toBuffer();
		const {width, height} = await sharp(original).metadata();
		const left = Math.max(0, face.x - face.width);
		const top = Math.max(0, face.y - face.height);
		return {
			'half size': sharp(original).resize(Math.round(width! / 2)),
			'JPEG quality 30': sharp(await sharp(original).jpeg({quality: 30}).toBuffer()),
			'cropped around the face': sharp(original).extract({
				left: Math.round(left * width!),
				top: Math.round(top * height!),
				width: Math.round(Math.min(1 - left, face.width * 3) * width!),
				height: Math.round(Math.min(1 - top, face.height * 3) * height!),
			}),
			'30 % brighter': sharp(original).modulate({brightness: 1.3}),
		};
	};

	for (const file of ['cameras/Canon_EOS_7D.jpg', 'formats/tiff/Epson_PerfectionV800_scan.tiff']) {
		test(`the same face in ${file} under resize, re-encode, crop and brightness stays closer than ${sameFaceThreshold}`, async () => {
			const [face] = await detect(file);
			assert.ok(face);
			for (const [name, image] of Object.entries(await variantsOf(file, face))) {
				const {data, info} = await image.resize(640, 640, {fit: 'inside', withoutEnlargement: true}).removeAlpha().raw().toBuffer({resolveWithObject: true});
				const faces = await model.detect({data: new Uint8Array(data), width: info.width, height: info.height});
				const best = Math.max(...faces.map(other => similarity(other.embedding, face.embedding)));
				assert.ok(best >= sameFaceThreshold, `${name}: best similarity ${best.toFixed(3)}`);
			}
		});
	}

	test(`faces of different people stay farther apart than ${sameFaceThreshold}`, async () => {
		const faces = (await Promise.all(withFaces.map(async ([file]) => (await detect(file)).map(face => ({file, face}))))).flat();
		let pairs = 0;
		for (const [i, a] of faces.entries()) {
			for (const b of faces.slice(i + 1)) {
				// Faces within one photo may be one person (the man and his reflection); no person recurs across photos.
				if (a.file !== b.file) {
					pairs++;
					const score = similarity(a.face.embedding, b.face.embedding);
					assert.ok(score < sameFaceThreshold, `${a.file} and ${b.file}: ${score.toFixed(3)}`);
				}
			}
		}

		assert.ok(pairs >= 40);
	});
});
