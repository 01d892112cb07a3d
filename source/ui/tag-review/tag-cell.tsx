import {Box, Text} from 'ink';
import React from 'react';
import type {PictureSource} from '../../review/types.js';
import type {TagReviewItem} from '../../tags/review-types.js';
import {Picture} from '../review/picture.js';

/** Props of one photo in the grid. */
export type Props = {
	readonly item: TagReviewItem;
	readonly chosen: boolean;
	readonly marked: boolean;
	readonly pictureColumns: number;
	readonly pictureRows: number;
	readonly pictures: PictureSource;
	readonly colour: boolean;
};

/** The label under a picture: ▶ when chosen, the confidence, ✗ when marked wrong, ★N when rated; always readable without colour. */
export function cellLabel(item: TagReviewItem, chosen: boolean, marked: boolean, width: number): string {
	const text = `${chosen ? '>' : ' '}${item.confidence.toFixed(2)}${marked ? ' ✗' : ''}${item.rating ? ` ★${item.rating}` : ''}`;
	return [...text].slice(0, width).join('').padEnd(width);
}

/** One photo of the tag review grid: its thumbnail and a one-line label. */
export function TagCell({item, chosen, marked, pictureColumns, pictureRows, pictures, colour}: Props) {
	return (
		<Box flexDirection="column" width={pictureColumns}>
			<Picture pictures={pictures} request={{sha256: item.sha256, thumb: item.thumb, columns: pictureColumns, rows: pictureRows}} label="no preview" />
			<Text wrap="truncate" inverse={colour && chosen} color={colour && marked ? 'red' : undefined} bold={chosen}>
				{cellLabel(item, chosen, marked, pictureColumns)}
			</Text>
		</Box>
	);
}
