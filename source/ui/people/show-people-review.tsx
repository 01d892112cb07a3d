import React from 'react';
import {showFullScreen} from '../full-screen.js';
import {PeopleReviewScreen, type Props} from './people-review-screen.js';

/** `curate people review`'s screen, on the alternate screen until the user quits it. */
export async function showPeopleReviewScreen(props: Props, stdout: NodeJS.WriteStream): Promise<void> {
	await showFullScreen(<PeopleReviewScreen {...props} />, stdout);
}
