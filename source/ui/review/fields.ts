/**
 * The per-photo facts the review cards show, as sanitised text, and which of them differ between a cluster's members
 * (issue 5). Pure.
 */
import {sanitize} from '../../core/sanitize.js';
import type {ReviewMember} from '../../review/types.js';
import {formatBytes} from '../../core/format.js';

/** The compared facts of one member, ready to print. */
export type MemberFields = {
	readonly resolution: string;
	readonly size: string;
	readonly format: string;
	readonly date: string;
	readonly camera: string;
	readonly gps: string;
};

/** Names of the compared facts. */
export type FieldName = keyof MemberFields;

const fieldNames: readonly FieldName[] = ['resolution', 'size', 'format', 'date', 'camera', 'gps'];

/** A capture time as "2019-05-03 14:22:10" (offset dropped: the wall clock of the camera is what people remember). */
export function formatTaken(takenAt: string | null): string {
	if (!takenAt) {
		return 'no date';
	}

	const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(takenAt);
	return match ? `${match[1]} ${match[2]}` : sanitize(takenAt);
}

/** The printable facts of a member. */
export function memberFields(member: ReviewMember): MemberFields {
	return {
		resolution: member.width && member.height ? `${member.width}x${member.height}` : '?x?',
		size: formatBytes(member.bytes),
		format: sanitize(member.format),
		date: formatTaken(member.takenAt),
		camera: member.camera ? sanitize(member.camera) : 'no camera',
		gps: member.gps ? 'GPS' : 'no GPS',
	};
}

/** The facts whose values are not the same for every member. */
export function differingFields(members: readonly ReviewMember[]): ReadonlySet<FieldName> {
	const all = members.map(member => memberFields(member));
	return new Set(fieldNames.filter(name => new Set(all.map(fields => fields[name])).size > 1));
}

/** Cuts text to `width` columns at the end (for one-line fields). */
export function clip(text: string, width: number): string {
	const characters = [...text];
	return characters.length <= width ? text : characters.slice(0, Math.max(0, width - 1)).join('') + '…';
}
