import React from 'react';
import {showFullScreen} from '../full-screen.js';
import {type Props, ReviewScreen} from './review-screen.js';

/** `curate review`'s screen, on the alternate screen until the user quits it. */
export async function showReviewScreen(props: Props, stdout: NodeJS.WriteStream): Promise<void> {
	await showFullScreen(<ReviewScreen {...props} />, stdout);
}
