import React from 'react';
import {showFullScreen} from '../full-screen.js';
import {type Props, TagReviewScreen} from './tag-review-screen.js';

/** `curate tags review`'s screen, on the alternate screen until the user quits it. */
export async function showTagReviewScreen(props: Props, stdout: NodeJS.WriteStream): Promise<void> {
	await showFullScreen(<TagReviewScreen {...props} />, stdout);
}
