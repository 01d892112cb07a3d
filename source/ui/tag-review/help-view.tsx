import React from 'react';
import {KeyHelp} from '../key-help.js';
import {helpRows} from './keymap.js';

/** Props of the tag review help. */
export type Props = {
	/** How pictures are drawn on this terminal. */
	readonly pictureNote: string;
	/** Where keywords are written (sidecars or the files). */
	readonly target: string;
};

/** The keys, generated from the keymap table, and how to read the grid. */
export function TagHelpView({pictureNote, target}: Props) {
	return (
		<KeyHelp
			rows={helpRows}
			notes={[
				' ',
				"Under each photo: > chosen, the tag's confidence, ✗ marked wrong, ★ rating.",
				`Confirmed tags are written ${target}; every change is one journal batch.`,
				'Rejected tags are remembered: never suggested for that photo again.',
				pictureNote,
			]}
		/>
	);
}
