import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {buildSampleLibrary, type FixtureManifest} from '../../media-fixtures/build.mjs';
import {copyTree, tempDir} from './temp.js';

const builder = path.resolve(import.meta.dirname, '../../media-fixtures/build.mjs');

/**
 * The sample library, built once per version of the builder and shared by every test process (built in a private
 * folder, then renamed into place, so parallel test files never see a half-built library).
 */
async function cachedSampleLibrary(): Promise<string> {
	const version = createHash('sha256').update(fs.readFileSync(builder)).digest('hex').slice(0, 12);
	const dir = path.join(os.tmpdir(), `curate-sample-library-${version}`);
	if (fs.existsSync(path.join(dir, 'manifest.json'))) {
		return dir;
	}

	const building = `${dir}.building-${process.pid}`;
	await buildSampleLibrary(building);
	try {
		fs.renameSync(building, dir);
	} catch {
		// Another test process won the race; its copy is identical.
		fs.rmSync(building, {recursive: true, force: true});
	}

	return dir;
}

/** A private, writable copy of the sample library (without its manifest) and the manifest itself. */
export async function sampleLibrary(): Promise<{root: string; manifest: FixtureManifest}> {
	const source = await cachedSampleLibrary();
	const manifest = JSON.parse(fs.readFileSync(path.join(source, 'manifest.json'), 'utf8')) as FixtureManifest;
	const root = path.join(tempDir(), 'library');
	copyTree(source, root);
	fs.rmSync(path.join(root, 'manifest.json'));
	return {root, manifest};
}
