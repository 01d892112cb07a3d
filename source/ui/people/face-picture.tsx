import {Box, Text} from 'ink';
import React from 'react';
import type {FaceCropRequest, FaceCropSource} from '../../faces/people-review-types.js';
import {useCachedRendering} from '../use-cached-rendering.js';

/** Props of a face crop. */
export type Props = {
	readonly crops: FaceCropSource;
	readonly request: FaceCropRequest;
};

/**
 * A face crop at a fixed size in cells: the cached rendering at once, else a blank box of the same size while it
 * renders (so the grid never jumps and a key never waits for a picture), or a short reason when it cannot be made.
 */
export function FacePicture({crops, request}: Props) {
	const id = `${request.faceId}:${request.sha256}:${request.columns}x${request.rows}`;
	const current = useCachedRendering(crops, request, id);
	if (current.text !== undefined) {
		return <Text>{current.text}</Text>;
	}

	return (
		<Box width={request.columns} height={request.rows} alignItems="center" justifyContent="center">
			<Text dimColor wrap="truncate">
				{current.error ? 'no preview' : ''}
			</Text>
		</Box>
	);
}
