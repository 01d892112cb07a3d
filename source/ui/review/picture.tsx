import {Box, Text} from 'ink';
import React from 'react';
import type {PictureRequest, PictureSource} from '../../review/types.js';
import {useCachedRendering} from '../use-cached-rendering.js';

/** Props of a terminal picture. */
export type Props = {
	readonly pictures: PictureSource;
	readonly request: PictureRequest;
	/** Shown in the box when there is no preview (videos, unreadable thumbnails). */
	readonly label: string;
};

/**
 * A photo's picture at a fixed size in cells. Shows the cached rendering at once, else a blank box of the same size
 * while it renders, so the layout never jumps and a keypress never waits for a picture.
 */
export function Picture({pictures, request, label}: Props) {
	const id = `${request.sha256}:${request.columns}x${request.rows}`;
	const current = useCachedRendering(pictures, request, id);
	if (current.text !== undefined) {
		return <Text>{current.text}</Text>;
	}

	return (
		<Box width={request.columns} height={request.rows} alignItems="center" justifyContent="center">
			<Text dimColor wrap="truncate">
				{current.error ? `${label}: ${current.error}` : ''}
			</Text>
		</Box>
	);
}
