/**
 * Making a share (issue 20): copies of the selected photos made through the export path, under
 * `.curate/shares/<id>/large/` (long side ≤ max size) and `thumbs/` (long side 480), recorded in the catalog with a
 * random token. The copies are built in a staging folder beside the shares and renamed into place inside the
 * transaction that records the share, so a share is either whole (row and folder) or absent: a full disk, a failed
 * copy or Ctrl-C leaves neither a row nor a folder behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {ExportProgress} from '../core/progress.js';
import type {Catalog, StoredFile} from '../db/catalog.js';
import {type Share, type ShareItem, ShareStore} from '../db/shares.js';
import {diskFullError, ensureFreeSpace} from '../disk-space.js';
import {isDiskFull, UserError} from '../errors.js';
import {exportFiles, type ExportItem} from '../export/export.js';
import type {Library} from '../library.js';
import {render} from '../media/render.js';
import {checkInside, makeFoldersInside} from '../safe-path.js';
import {itemName, jpegSize} from './names.js';
import {hashPassword, newToken} from './secret.js';
import {sharesDir} from './settings.js';

/** Long side of the gallery's thumbnails. */
export const thumbSize = 480;

/** What `curate share` was asked for. */
export type ShareRequest = {
	/** How long the link stays open, from now. */
	readonly expiresInMs: number;
	/** The password visitors must give, or none. */
	readonly password?: string;
	readonly allowDownload?: boolean;
	/** Keep the location tags (serials, owner names and maker notes still go). */
	readonly keepGps?: boolean;
	/** Long side of the large copies. */
	readonly maxSize: number;
	readonly title?: string;
	readonly now?: Date;
	readonly signal?: AbortSignal;
};

/** A made share: the catalog's record, its photos, and the selected files left out (videos, unexportable files). */
export type CreatedShare = {
	readonly share: Share;
	readonly items: readonly ShareItem[];
	readonly skipped: ReadonlyArray<{readonly path: string; readonly reason: string}>;
};

/**
 * A generous size of the copies, for the free-space check before any is written: a photo's JPEG at quality 85 takes
 * under half a byte per pixel of the square its long side bounds, and never much more than the master.
 */
function estimateBytes(files: readonly StoredFile[], maxSize: number): number {
	return files.reduce((sum, file) => sum + Math.min(file.size * 1.2, maxSize * maxSize * 0.5) + Math.min(file.size, thumbSize * thumbSize * 0.3), 0);
}

const byCaptureTime = (a: StoredFile, b: StoredFile) => (a.takenAt ?? '').localeCompare(b.takenAt ?? '') || a.path.localeCompare(b.path);

/** Makes a share of `files` (in capture-time order) and records it. */
export async function createShare(
	library: Library,
	catalog: Catalog,
	files: readonly StoredFile[],
	request: ShareRequest,
	onProgress: (progress: ExportProgress) => void = () => {},
): Promise<CreatedShare> {
	const root = sharesDir(library);
	// No write below a symbolic link (a `.curate/shares` pointing to another disk, say).
	makeFoldersInside(library.root, root);
	const ordered = [...files].sort(byCaptureTime);
	ensureFreeSpace(root, estimateBytes(ordered, request.maxSize));
	const passwordHash = request.password === undefined ? null : await hashPassword(request.password);
	const staging = fs.mkdtempSync(path.join(root, `.new-${process.pid}-`));
	try {
		const exported = path.join(staging, 'export');
		const large = path.join(staging, 'large');
		const thumbs = path.join(staging, 'thumbs');
		fs.mkdirSync(large);
		fs.mkdirSync(thumbs);
		const report = await exportFiles(
			library,
			catalog,
			ordered,
			exported,
			{format: 'jpeg', quality: 85, strip: 'gps', maxSize: request.maxSize, ...(request.keepGps ? {keepLocation: true} : {})},
			{record: false, ...(request.signal ? {signal: request.signal} : {})},
			onProgress,
		);
		if (request.signal?.aborted) {
			throw new UserError('share stopped; nothing was shared', 130);
		}

		checkFailures(report.items, root, staging);
		// Exact copies in the selection share one export: the gallery shows the photo once.
		const seen = new Set<string>();
		const made = report.items.filter((item): item is ExportItem & {output: string} => {
			if (!item.output || seen.has(item.output)) {
				return false;
			}

			seen.add(item.output);
			return true;
		});
		if (made.length === 0) {
			throw new UserError('nothing in the selection can be shared (videos and files that cannot be exported are left out)');
		}

		const fileIds = new Map(ordered.map(file => [file.path, file.id]));
		const items: Array<Omit<ShareItem, 'shareId' | 'position'>> = [];
		for (const [position, item] of made.entries()) {
			const name = itemName(position, made.length, item.path);
			const largePath = path.join(large, name);
			fs.renameSync(item.output, largePath);
			// eslint-disable-next-line no-await-in-loop
			const data = await fs.promises.readFile(largePath);
			// Made from the stripped large copy and given no metadata: a thumbnail carries none.
			// eslint-disable-next-line no-await-in-loop
			const thumb = await render({absolute: largePath, format: 'jpeg', kind: 'image', orientation: null}, data, {format: 'jpeg', quality: 80, maxSize: thumbSize});
			// eslint-disable-next-line no-await-in-loop
			await fs.promises.writeFile(path.join(thumbs, name), thumb.data, {flag: 'wx'});
			const size = jpegSize(data);
			items.push({name, fileId: fileIds.get(item.path) ?? null, width: size?.width ?? null, height: size?.height ?? null, bytes: data.length, sha256: item.sha256 ?? null});
		}

		fs.rmSync(exported, {recursive: true, force: true});
		const now = request.now ?? new Date();
		const share = new ShareStore(catalog).create(
			{
				token: newToken(),
				title: request.title ?? null,
				createdAt: now.toISOString(),
				expiresAt: new Date(now.getTime() + request.expiresInMs).toISOString(),
				passwordHash,
				allowDownload: request.allowDownload ?? false,
				keepGps: request.keepGps ?? false,
				maxSize: request.maxSize,
				items,
			},
			created => {
				placeShareFolder(library, staging, created.dir);
			},
		);
		return {
			share,
			items: new ShareStore(catalog).items(share.id),
			skipped: report.items.filter(item => item.action === 'skip').map(item => ({path: item.path, reason: item.reason ?? 'cannot be exported'})),
		};
	} catch (error) {
		fs.rmSync(staging, {recursive: true, force: true});
		if (isDiskFull(error)) {
			throw diskFullError(root);
		}

		throw error;
	}
}

/**
 * A copy that failed fails the share: a full disk in its one line, anything else with the first photo and why. A full
 * disk does not always say so: exiftool reports only "Error creating file" when it cannot make its temporary copy, so
 * after a failure a small probe write in the staging folder asks the disk itself (bytes and inodes alike).
 */
function checkFailures(items: readonly ExportItem[], root: string, staging: string): void {
	const failed = items.filter(item => item.action === 'failed');
	if (failed.length === 0) {
		return;
	}

	if (failed.some(item => /ENOSPC|EDQUOT|no space left on device|disk quota/i.test(item.reason ?? '')) || !canWrite(staging)) {
		throw diskFullError(root);
	}

	const [first] = failed;
	throw new UserError(`${failed.length === 1 ? 'a photo' : `${failed.length} photos`} could not be copied (${first!.path}: ${first!.reason ?? 'failed'}); nothing was shared`, 1);
}

/** Whether 64 KB can still be written in `dir` (false only when the disk says it is full). */
function canWrite(dir: string): boolean {
	const probe = path.join(dir, '.space-probe');
	try {
		fs.writeFileSync(probe, Buffer.alloc(64 * 1024), {flag: 'wx'});
		return true;
	} catch (error) {
		return !isDiskFull(error);
	} finally {
		fs.rmSync(probe, {force: true});
	}
}

/**
 * Renames the filled staging folder to the share's folder. A folder already there has no row (share numbers are never
 * given twice): it is what a killed run left, Curate's own copies, and goes first.
 */
function placeShareFolder(library: Library, staging: string, relative: string): void {
	const target = path.join(library.root, relative);
	checkInside(library.root, target);
	if (fs.existsSync(target)) {
		fs.rmSync(target, {recursive: true, force: true});
	}

	fs.renameSync(staging, target);
}
