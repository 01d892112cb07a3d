import {Box, Text} from 'ink';
import React from 'react';
import {sanitize} from '../../core/sanitize.js';
import type {FaceCropSource, FaceReviewItem, PeopleGroup} from '../../faces/people-review-types.js';
import {FacePicture} from './face-picture.js';

/** Props of one face in the grid. */
export type Props = {
	readonly item: FaceReviewItem;
	readonly group: PeopleGroup;
	readonly chosen: boolean;
	readonly marked: boolean;
	readonly pictureColumns: number;
	readonly pictureRows: number;
	readonly crops: FaceCropSource;
	readonly colour: boolean;
};

/**
 * The label under a crop, readable without colour: `>` when chosen, then the suggestion's confidence (a person's
 * suggestions), the face's name (unnamed groups: the suggested name with `?`, else the face id), and ` ✗` when marked
 * wrong, which is never cut off.
 */
export function faceLabel(item: FaceReviewItem, group: PeopleGroup, chosen: boolean, marked: boolean, width: number): string {
	const body =
		group.kind === 'suggested'
			? (item.suggestion?.confidence ?? 0).toFixed(2)
			: group.kind === 'named'
				? `f${item.faceId}`
				: item.suggestion
					? `${sanitize(item.suggestion.person)}? ${item.suggestion.confidence.toFixed(2)}`
					: `f${item.faceId}`;
	const tail = marked ? ' ✗' : '';
	const room = Math.max(0, width - 1 - tail.length);
	return `${chosen ? '>' : ' '}${[...body].slice(0, room).join('')}${tail}`.padEnd(width);
}

/** One face of the people review grid: its crop and a one-line label. */
export function FaceCell({item, group, chosen, marked, pictureColumns, pictureRows, crops, colour}: Props) {
	return (
		<Box flexDirection="column" width={pictureColumns}>
			<FacePicture crops={crops} request={{faceId: item.faceId, sha256: item.sha256, path: item.path, box: item.box, columns: pictureColumns, rows: pictureRows}} />
			<Text wrap="truncate" inverse={colour && chosen} color={colour && marked ? 'red' : undefined} bold={chosen}>
				{faceLabel(item, group, chosen, marked, pictureColumns)}
			</Text>
		</Box>
	);
}
