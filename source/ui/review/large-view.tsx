import {Box, Text} from 'ink';
import React from 'react';
import {middleEllipsis, sanitize} from '../../core/sanitize.js';
import type {PictureSource, ReviewMember} from '../../review/types.js';
import {clip, memberFields} from './fields.js';
import {Picture} from './picture.js';

/** Props of the large view. */
export type Props = {
	readonly member: ReviewMember;
	readonly columns: number;
	readonly rows: number;
	readonly pictures: PictureSource;
};

/** Rows of text under the large picture. */
const detailRows = 5;

/** One photo as large as the terminal allows, with every detail the catalog has about it. */
export function LargeView({member, columns, rows, pictures}: Props) {
	const fields = memberFields(member);
	const width = columns - 1;
	const lines = [
		middleEllipsis(sanitize(member.path), width),
		[fields.resolution, fields.size, fields.format, fields.date, fields.camera, member.lens ? sanitize(member.lens) : '', fields.gps].filter(Boolean).join(' · '),
		[member.caption ? `“${sanitize(member.caption)}”` : '', member.keywords.length > 0 ? `keywords: ${member.keywords.map(keyword => sanitize(keyword)).join(', ')}` : '', member.rating ? `rating ${member.rating}` : '']
			.filter(Boolean)
			.join(' · '),
		[...member.reasons.map(reason => sanitize(reason)), ...member.companions.map(companion => `with ${sanitize(companion)}`)].join('; '),
	];
	return (
		<Box flexDirection="column">
			<Picture pictures={pictures} request={{sha256: member.sha256, thumb: member.thumb, columns: width, rows: Math.max(2, rows - detailRows - 2)}} label={fields.format} />
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate">
					{clip(line, width) || ' '}
				</Text>
			))}
			<Text dimColor>enter or esc: back to the cluster</Text>
		</Box>
	);
}
