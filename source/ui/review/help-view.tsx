import React from 'react';
import {KeyHelp} from '../key-help.js';
import {keymap} from './keymap.js';

/** Props of the help view. */
export type Props = {
	/** Describes how pictures are drawn on this terminal (one line per `\n`). */
	readonly pictureNote: string;
};

/** The keys, generated from the keymap table, and how to read the cards. */
export function HelpView({pictureNote}: Props) {
	return (
		<KeyHelp
			rows={keymap}
			notes={[
				' ',
				'▶ marks the chosen photo; * marks a value that differs between the photos.',
				'+ why the suggested keeper won; - why another copy lost; +N companion files.',
				'Every decision is one journal batch; trashed files stay in .curate/trash.',
				...pictureNote.split('\n'),
			]}
		/>
	);
}
