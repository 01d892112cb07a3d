import React from 'react';
import {KeyHelp} from '../key-help.js';
import {peopleKeymap} from './keymap.js';

/** Props of the people review help. */
export type Props = {
	/** How pictures are drawn on this terminal. */
	readonly pictureNote: string;
};

/** The keys, generated from the keymap table, and how to read the grid. */
export function PeopleHelpView({pictureNote}: Props) {
	return (
		<KeyHelp
			rows={peopleKeymap}
			notes={[
				'Under each face: > chosen, the confidence or name, ✗ marked wrong.',
				'Names go to XMP sidecars as MWG face regions; every change is one journal batch.',
				'A rejected face is never suggested for that person again.',
				pictureNote,
			]}
		/>
	);
}
