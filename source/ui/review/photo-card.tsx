import {Box, Text} from 'ink';
import React from 'react';
import {middleEllipsis, sanitize} from '../../core/sanitize.js';
import type {PictureSource, ReviewMember} from '../../review/types.js';
import {clip, type FieldName, memberFields} from './fields.js';
import {Picture} from './picture.js';

/** Props of one photo's card. */
export type Props = {
	readonly member: ReviewMember;
	/** 1-based position in the cluster, and the cluster's size. */
	readonly position: number;
	readonly count: number;
	readonly chosen: boolean;
	readonly differing: ReadonlySet<FieldName>;
	readonly width: number;
	readonly pictureColumns: number;
	readonly pictureRows: number;
	readonly pictures: PictureSource;
	/** Whether styles may be used; without, markers carry every meaning. */
	readonly colour: boolean;
};

/** A fact, marked with `*` (and bold) when it differs between the photos, so the difference never rests on colour. */
function Fact({name, value, differing, colour}: {readonly name: FieldName; readonly value: string; readonly differing: ReadonlySet<FieldName>; readonly colour: boolean}) {
	return differing.has(name) ? (
		<Text bold={colour} color={colour ? 'yellow' : undefined}>
			*{value}
		</Text>
	) : (
		<Text>{value}</Text>
	);
}

/**
 * One photo of a cluster: its picture, then resolution, size, format, date, camera, GPS, caption, path and why it won
 * or lost. Memoised: choosing another photo re-renders only the two cards whose `chosen` changed.
 */
export const PhotoCard = React.memo(function PhotoCard({member, position, count, chosen, differing, width, pictureColumns, pictureRows, pictures, colour}: Props) {
	const fields = memberFields(member);
	const inner = width - 1;
	const role = member.keeper ? 'KEEP (suggested)' : member.match === 'exact' ? 'exact copy' : member.match === 'pixels' ? 'same pixels, different metadata' : 'near copy';
	const header = clip(`${chosen ? '▶' : ' '} ${position}/${count} ${role}`, inner);
	const caption = member.caption ? `“${sanitize(member.caption)}”` : '';
	const reason = member.reasons[0] ? `${member.keeper ? '+' : '-'} ${sanitize(member.reasons[0])}` : '';
	const companions = member.companions.length > 0 ? ` +${member.companions.length}` : '';
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Text inverse={chosen && colour} bold={member.keeper && colour} color={member.keeper && colour && !chosen ? 'green' : undefined} wrap="truncate">
				{header.padEnd(inner)}
			</Text>
			<Picture pictures={pictures} request={{sha256: member.sha256, thumb: member.thumb, columns: pictureColumns, rows: pictureRows}} label={fields.format} />
			<Text wrap="truncate">
				<Fact name="resolution" value={fields.resolution} differing={differing} colour={colour} /> <Fact name="size" value={fields.size} differing={differing} colour={colour} />{' '}
				<Fact name="format" value={fields.format} differing={differing} colour={colour} />
			</Text>
			<Text wrap="truncate">
				<Fact name="date" value={fields.date} differing={differing} colour={colour} />
			</Text>
			<Text wrap="truncate">
				<Fact name="gps" value={fields.gps} differing={differing} colour={colour} /> <Fact name="camera" value={clip(fields.camera, Math.max(4, inner - fields.gps.length - 2))} differing={differing} colour={colour} />
			</Text>
			<Text wrap="truncate" dimColor={colour}>
				{clip(caption, inner) || ' '}
			</Text>
			<Text wrap="truncate">{middleEllipsis(sanitize(member.path), Math.max(4, inner - companions.length)) + companions}</Text>
			<Text wrap="truncate" color={colour ? (member.keeper ? 'green' : 'gray') : undefined}>
				{clip(reason, inner) || ' '}
			</Text>
		</Box>
	);
});
