import {Box, Text} from 'ink';
import React, {useEffect, useState} from 'react';
import type {PictureRequest, PictureSource} from '../../review/types.js';

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
	const [state, setState] = useState<{id: string; text?: string; error?: string}>(() => ({id, text: pictures.peek(request)}));
	const current = state.id === id ? state : {id, text: pictures.peek(request)};
	useEffect(() => {
		if (current.text !== undefined) {
			return;
		}

		let live = true;
		pictures.load(request).then(
			text => {
				if (live) {
					setState({id, text});
				}
			},
			(error: unknown) => {
				if (live) {
					setState({id, error: error instanceof Error ? error.message : String(error)});
				}
			},
		);
		return () => {
			live = false;
		};
		// The id covers every field of the request.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [id]);

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
