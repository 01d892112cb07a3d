/**
 * What `curate share` and its subcommands print for a person (80 columns). Every text that came from outside (titles,
 * recipient names, and above all what visitors sent: paths, user agents, addresses) goes through `sanitize`.
 */
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import type {Share, ShareAccess} from '../db/shares.js';
import type {CreatedShare} from './create.js';
import type {ListedShare, PurgeReport} from './manage.js';

/** `2026-12-13 14:02 UTC`. */
export const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** How long from `now` until `iso`: `6 days`, `5 hours`, `12 minutes`. */
export function timeLeft(iso: string, now = new Date()): string {
	const ms = Date.parse(iso) - now.getTime();
	const [amount, unit] = ms >= 2 * 86_400_000 ? [ms / 86_400_000, 'day'] : ms >= 2 * 3_600_000 ? [ms / 3_600_000, 'hour'] : [ms / 60_000, 'minute'];
	const rounded = Math.max(0, Math.round(amount));
	return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}

const rights = (share: Pick<Share, 'allowDownload' | 'keepGps'> & {readonly passwordHash?: string | null; readonly password?: boolean}) =>
	[
		share.allowDownload ? 'downloads allowed' : 'view only',
		(share.password ?? share.passwordHash !== null) ? 'password' : 'no password',
		share.keepGps ? 'GPS kept' : 'GPS removed',
	].join(', ');

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The lines after a share is made: the link alone on its line, then what was shared and how. */
export function createdLines(created: CreatedShare, link: string, now = new Date()): string[] {
	const {share, items, skipped} = created;
	const lines = [
		`Shared ${items.length} photo${items.length === 1 ? '' : 's'} as share ${share.id}, open until ${when(share.expiresAt)} (${timeLeft(share.expiresAt, now)}):`,
		'',
		link,
		'',
		`${capitalised(rights(share))}; large copies up to ${share.maxSize} px.`,
		'Visitors reach it while `curate serve` runs.',
		`\`curate share add-recipient ${share.id} NAME\` gives someone a link of their own.`,
	];
	if (skipped.length > 0) {
		lines.push(`Left out ${skipped.length}:`);
		for (const item of skipped.slice(0, 10)) {
			lines.push(`  ${middleEllipsis(sanitize(item.path), 40)}  ${sanitize(item.reason)}`);
		}

		if (skipped.length > 10) {
			lines.push(`  … and ${skipped.length - 10} more (--json lists them all)`);
		}
	}

	return lines;
}

/** `curate share list`. */
export function listLines(shares: readonly ListedShare[], now = new Date()): string[] {
	if (shares.length === 0) {
		return ['No shares yet: curate share SELECTION --expires 7d makes one.'];
	}

	const lines = ['  id  state     until                 photos  people  requests  title'];
	for (const share of shares) {
		lines.push(
			`${String(share.id).padStart(4)}  ${share.state.padEnd(8)}  ${when(share.revokedAt ?? share.expiresAt).padEnd(20)}  ${String(share.items).padStart(6)}  ${String(share.recipients).padStart(6)}  ${String(share.accesses).padStart(8)}  ${middleEllipsis(sanitize(share.title ?? ''), 14)}`,
		);
		if (share.state === 'open') {
			lines.push(`      ${share.link}`, `      ${timeLeft(share.expiresAt, now)} left; ${rights(share)}`);
			// A revoked recipient is named, without the link that no longer opens, so the list says why it is missing.
			for (const recipient of share.recipientLinks) {
				lines.push(`      ${middleEllipsis(sanitize(recipient.name), 16)}: ${recipient.revokedAt === null ? recipient.link : `revoked ${when(recipient.revokedAt)}`}`);
			}
		}
	}

	return lines;
}

/**
 * What a request asked for: the photo's name; for an unknown token, the path; for an address under a share that the
 * server could not even decode (`/s/TOKEN/large/%FF.jpg`), what followed the token as sent, so the line still says it.
 */
export function asked(entry: Pick<ShareAccess, 'shareId' | 'action' | 'itemName' | 'path'>): string {
	if (entry.itemName !== null) {
		return entry.itemName;
	}

	if (entry.shareId === null) {
		return entry.path ?? '';
	}

	return entry.action === 'not-found' ? (entry.path ?? '').split('?')[0]!.split('/').slice(3).join('/') : '';
}

/** `curate share log`: one line per request, oldest first. */
export function logLines(entries: readonly ShareAccess[]): string[] {
	if (entries.length === 0) {
		return ['No requests logged.'];
	}

	const lines = [['time (UTC)'.padEnd(19), ' id', 'who'.padEnd(8), 'address'.padEnd(15), 'code', 'action'.padEnd(9), 'photo'].join(' ')];
	for (const entry of entries) {
		const address = entry.forwardedAddress ?? entry.clientAddress ?? '-';
		const action = entry.action ?? entry.method ?? '-';
		const what = asked(entry);
		const who = entry.recipientName ?? (entry.recipientId === null ? '-' : `#${entry.recipientId}`);
		// 64 columns before the photo's name, which gets the rest of 80 (--json has it whole).
		lines.push(
			[
				entry.at.slice(0, 19).replace('T', ' '),
				String(entry.shareId ?? '-').padStart(3),
				middleEllipsis(sanitize(who), 8).padEnd(8),
				middleEllipsis(sanitize(address), 15).padEnd(15),
				String(entry.status).padStart(4),
				middleEllipsis(sanitize(action), 9).padEnd(9),
				middleEllipsis(sanitize(what), 16),
			].join(' ').trimEnd(),
		);
	}

	return lines;
}

/** What a purge removed, or nothing when it removed nothing. */
export function purgeLines(report: PurgeReport, days: number): string[] {
	if (report.entries === 0 && report.shares.length === 0) {
		return [];
	}

	return [
		`Purged ${report.entries} log entr${report.entries === 1 ? 'y' : 'ies'} older than ${days} days${report.shares.length > 0 ? ` and share${report.shares.length === 1 ? '' : 's'} ${report.shares.join(', ')}, closed that long` : ''}.`,
	];
}
