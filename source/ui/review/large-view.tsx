import {Box, Text} from 'ink';
import React, {useEffect, useLayoutEffect, useState} from 'react';
import {middleEllipsis, sanitize} from '../../core/sanitize.js';
import type {Format} from '../../core/types.js';
import type {GraphicsSource, PictureSource, ReviewMember} from '../../review/types.js';
import {clip, memberFields} from './fields.js';
import {Picture} from './picture.js';

/** Props of the large view. */
export type Props = {
	readonly member: ReviewMember;
	readonly columns: number;
	readonly rows: number;
	readonly pictures: PictureSource;
	/** Terminal graphics (kitty, iTerm2) when the terminal has them; else the half-block picture is drawn. */
	readonly graphics?: GraphicsSource;
};

/** Rows of text under the large picture. */
const detailRows = 5;

/**
 * The picture drawn with terminal graphics: Ink's frame keeps the rows blank and the graphic is drawn over them from
 * outside (the screen is the first thing on the alternate screen, so the frame starts at row 1). Falls back to the
 * half-block picture when there is no preview to draw (a video, a RAW without an embedded preview, a changed file).
 */
function Graphic({member, graphics, columns, rows, pictures, label}: {readonly member: ReviewMember; readonly graphics: GraphicsSource; readonly columns: number; readonly rows: number; readonly pictures: PictureSource; readonly label: string}) {
	const [failed, setFailed] = useState<string | undefined>();
	useEffect(() => {
		setFailed(undefined);
		let live = true;
		graphics
			.show({path: member.path, sha256: member.sha256, format: member.format as Format, kind: member.kind ?? 'image', orientation: member.orientation ?? null}, {row: 1, column: 1, columns, rows})
			.catch((error: unknown) => {
				if (live) {
					setFailed(error instanceof Error ? error.message : String(error));
				}
			});
		return () => {
			live = false;
		};
	}, [graphics, member, columns, rows]);
	// A layout effect's cleanup runs before Ink writes the next frame, so the graphic is gone before any text lands on it.
	useLayoutEffect(
		() => () => {
			graphics.hide();
		},
		[graphics, member, columns, rows],
	);

	if (failed !== undefined) {
		return <Picture pictures={pictures} request={{sha256: member.sha256, thumb: member.thumb, columns, rows}} label={label} />;
	}

	return <Box height={rows} width={columns} />;
}

/** One photo as large as the terminal allows, with every detail the catalog has about it. */
export function LargeView({member, columns, rows, pictures, graphics}: Props) {
	const fields = memberFields(member);
	const width = columns - 1;
	const pictureRows = Math.max(2, rows - detailRows - 2);
	const lines = [
		middleEllipsis(sanitize(member.path), width),
		[fields.resolution, fields.size, fields.format, fields.date, fields.camera, member.lens ? sanitize(member.lens) : '', fields.gps].filter(Boolean).join(' · '),
		[member.caption ? `“${sanitize(member.caption)}”` : '', member.keywords.length > 0 ? `keywords: ${member.keywords.map(keyword => sanitize(keyword)).join(', ')}` : '', member.rating ? `rating ${member.rating}` : '']
			.filter(Boolean)
			.join(' · '),
		[...member.reasons.map(reason => sanitize(reason)), ...member.companions.map(companion => `with ${sanitize(companion)}`)].join('; '),
	];
	return (
		<Box flexDirection="column">
			{graphics ? (
				<Graphic member={member} graphics={graphics} columns={width} rows={pictureRows} pictures={pictures} label={fields.format} />
			) : (
				<Picture pictures={pictures} request={{sha256: member.sha256, thumb: member.thumb, columns: width, rows: pictureRows}} label={fields.format} />
			)}
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate">
					{clip(line, width) || ' '}
				</Text>
			))}
			<Text dimColor>enter or esc: back to the cluster</Text>
		</Box>
	);
}
