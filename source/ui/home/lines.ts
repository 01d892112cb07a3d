/** The home screen's text (issue 14): what the library holds, what waits, and the menu. Pure; the screen draws it. */
import {middleEllipsis, sanitize} from '../../core/sanitize.js';
import type {HomeSummary} from '../../home/summary.js';
import {formatBytes} from '../../core/format.js';

/** What a menu entry does. */
export type HomeChoice = 'review' | 'tags' | 'next' | 'quit';

/** One menu entry: its label and what it does. */
export type MenuItem = {readonly label: string; readonly value: HomeChoice};

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** How long ago `iso` was, coarsely: "just now", "5 minutes ago", "3 hours ago", "12 days ago". */
export function ago(iso: string, now: Date): string {
	const seconds = Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
	if (!Number.isFinite(seconds)) {
		return 'at an unknown time';
	}

	if (seconds < 60) {
		return 'just now';
	}

	for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60]] as const) {
		if (seconds >= size) {
			return `${plural(Math.floor(seconds / size), unit)} ago`;
		}
	}

	return 'just now';
}

/** The lines about what the library holds: totals, years, cameras. */
export function holdsLines(summary: HomeSummary, width: number): string[] {
	const kinds = [plural(summary.photos, 'photo'), ...(summary.videos ? [plural(summary.videos, 'video')] : [])];
	const others = summary.files - summary.photos - summary.videos;
	const dated = summary.years.filter(year => year.key !== 'unknown');
	const busiest = dated.reduce<(typeof dated)[number] | undefined>((best, year) => (!best || year.files > best.files ? year : best), undefined);
	const span = dated.length === 0 ? 'no capture dates' : dated.length === 1 ? `all from ${dated[0]!.key}` : `${dated[0]!.key}–${dated.at(-1)!.key}, most in ${busiest!.key} (${busiest!.files})`;
	const undated = summary.years.find(year => year.key === 'unknown');
	// As many cameras (at most three) as fit on the line whole, then how many more.
	const cameraLine = (shown: number) =>
		`Cameras: ${summary.cameras.slice(0, shown).map(camera => `${sanitize(camera.name)} (${camera.files})`).join(', ')}${summary.cameras.length > shown ? `${shown > 0 ? ',' : ''} ${summary.cameras.length - shown} more` : ''}`;
	let shown = Math.min(3, summary.cameras.length);
	while (shown > 1 && [...cameraLine(shown)].length > width) {
		shown--;
	}
	return [
		middleEllipsis(`${kinds.join(', ')}${others > 0 ? `, ${others} other files` : ''} · ${formatBytes(summary.bytes)}`, width),
		middleEllipsis(`Taken: ${span}${undated ? `; ${undated.files} undated` : ''}`, width),
		middleEllipsis(summary.cameras.length > 0 ? cameraLine(shown) : 'Cameras: none named in the metadata', width),
	];
}

/** One "waiting" row: a label and what waits under it. */
export type WaitingRow = {readonly label: string; readonly text: string; readonly due: boolean};

/** What waits for the user, one row per subject, `due` when something is to be done. */
export function waitingRows(summary: HomeSummary, now: Date): WaitingRow[] {
	const {duplicates, tagReview, trash} = summary;
	const scan = summary.lastScan;
	const changed = summary.changedFolders.map(folder => (folder ? sanitize(folder) : 'the top folder'));
	return [
		{
			label: 'Duplicates',
			text: duplicates.clusters > 0 ? `${plural(duplicates.clusters, 'cluster')} to review, ${formatBytes(duplicates.reclaimableBytes)} to reclaim` : 'none found',
			due: duplicates.clusters > 0,
		},
		{
			label: 'Tags',
			text:
				tagReview.suggestions > 0
					? `${plural(tagReview.suggestions, 'suggestion')} below ${tagReview.below.toFixed(2)} to review (${plural(tagReview.tags, 'tag')})`
					: `no suggestion below ${tagReview.below.toFixed(2)} waits`,
			due: tagReview.suggestions > 0,
		},
		{
			label: 'Verify',
			text: `${summary.neverVerified > 0 ? `${plural(summary.neverVerified, 'file')} never verified` : 'every file verified'}${summary.knownDamaged > 0 ? `; ${summary.knownDamaged} damaged (curate restore --damaged)` : ''}`,
			due: summary.neverVerified > 0 || summary.knownDamaged > 0,
		},
		{
			label: 'Trash',
			text:
				trash.files === 0
					? 'empty'
					: trash.expiredFiles > 0
						? `${plural(trash.expiredFiles, 'file')} (${formatBytes(trash.expiredBytes)}) older than ${trash.retentionDays} days: curate purge`
						: `${plural(trash.files, 'file')} (${formatBytes(trash.bytes)}), none older than ${trash.retentionDays} days`,
			due: trash.expiredFiles > 0,
		},
		{
			label: 'Backup',
			text: summary.lastBackup ? `last ${ago(summary.lastBackup.finishedAt, now)}, to ${sanitize(summary.lastBackup.target)}` : 'never (curate backup --to DIR)',
			due: !summary.lastBackup || summary.next?.args[0] === 'backup',
		},
		{
			label: 'Scan',
			text: !scan
				? 'never'
				: changed.length > 0
					? `photos added or gone in ${changed.join(', ')}${changed.length >= 3 ? ', …' : ''}`
					: `last ${ago(scan.at, now)}${scan.state === 'done' ? ', nothing new since' : ` (${scan.state})`}`,
			due: !scan || scan.state !== 'done' || changed.length > 0,
		},
	];
}

/** The menu: review duplicates and tags when something waits, the next suggested command, quit. */
export function homeMenu(summary: HomeSummary, width: number): MenuItem[] {
	const items: MenuItem[] = [];
	if (summary.duplicates.clusters > 0) {
		items.push({label: `Review duplicates (${plural(summary.duplicates.clusters, 'cluster')})`, value: 'review'});
	}

	if (summary.tagReview.suggestions > 0) {
		items.push({label: `Review tags (${plural(summary.tagReview.suggestions, 'suggestion')})`, value: 'tags'});
	}

	if (summary.next) {
		// The indicator and its margin take two columns.
		items.push({label: middleEllipsis(sanitize(`Run ${summary.next.command}: ${summary.next.reason}`), width - 2), value: 'next'});
	}

	items.push({label: 'Quit', value: 'quit'});
	return items;
}
