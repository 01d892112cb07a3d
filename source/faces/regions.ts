/**
 * Face boxes as MWG regions (issue 19). Pure. The catalog keeps a box normalised to the picture as it is shown (EXIF
 * orientation applied, top-left origin, x/y its top-left corner), because that is what the face model and the preview
 * see. An MWG region (`mwg-rs:Area`, MWG guidelines 2.0 §5.9) is normalised to the image as it is *stored*, before
 * the orientation, with x/y its centre, and `mwg-rs:AppliedToDimensions` gives the stored pixel size; readers
 * (exiftool's rotate_regions, Immich since 2025, digiKam) turn it by the orientation to draw it. So a box of a photo
 * with orientation 6 (shown turned 90° clockwise) is turned back before it is written.
 */

/** A box normalised to the shown picture: top-left corner and size, 0–1. */
export type ShownBox = {readonly x: number; readonly y: number; readonly w: number; readonly h: number};

/** An MWG area: centre and size, normalised to the stored image. */
export type MwgArea = {readonly x: number; readonly y: number; readonly w: number; readonly h: number};

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * Where a point of the shown picture (u, v in 0–1) is in the stored image, for each EXIF orientation (1–8; anything
 * else is taken as 1). Derived from the orientation's definition (the stored 0th row and 0th column are shown at …):
 * 2 mirrors, 3 turns 180°, 4 flips, 5 transposes, 6 turns 90° clockwise, 7 transverses, 8 turns 90° anticlockwise.
 */
export function storedPoint(u: number, v: number, orientation: number | null | undefined): readonly [number, number] {
	switch (orientation) {
		case 2: {
			return [1 - u, v];
		}

		case 3: {
			return [1 - u, 1 - v];
		}

		case 4: {
			return [u, 1 - v];
		}

		case 5: {
			return [v, u];
		}

		case 6: {
			return [v, 1 - u];
		}

		case 7: {
			return [1 - v, 1 - u];
		}

		case 8: {
			return [1 - v, u];
		}

		default: {
			return [u, v];
		}
	}
}

/** Whether an orientation swaps width and height (5–8). */
export const swapsAxes = (orientation: number | null | undefined) => orientation !== null && orientation !== undefined && orientation >= 5 && orientation <= 8;

/** The MWG area of a shown box: its centre carried to the stored image, its sides swapped for a quarter turn. */
export function mwgArea(box: ShownBox, orientation: number | null | undefined): MwgArea {
	const x = clamp(box.x);
	const y = clamp(box.y);
	const w = clamp(box.x + box.w) - x;
	const h = clamp(box.y + box.h) - y;
	const [cx, cy] = storedPoint(x + w / 2, y + h / 2, orientation);
	const swap = swapsAxes(orientation);
	return {x: round(cx), y: round(cy), w: round(swap ? h : w), h: round(swap ? w : h)};
}

/** The stored pixel size of a picture shown `width` × `height` with this orientation. */
export function storedSize(width: number, height: number, orientation: number | null | undefined): {readonly w: number; readonly h: number} {
	return swapsAxes(orientation) ? {w: height, h: width} : {w: width, h: height};
}

/** The inverse of `mwgArea` (tests, and reading regions back): a shown box from an MWG area. */
export function shownBox(area: MwgArea, orientation: number | null | undefined): ShownBox {
	// Each orientation's inverse: the shown point of a stored one.
	const inverse: Record<number, (s: number, t: number) => readonly [number, number]> = {
		2: (s, t) => [1 - s, t],
		3: (s, t) => [1 - s, 1 - t],
		4: (s, t) => [s, 1 - t],
		5: (s, t) => [t, s],
		6: (s, t) => [1 - t, s],
		7: (s, t) => [1 - t, 1 - s],
		8: (s, t) => [t, 1 - s],
	};
	const [u, v] = (inverse[orientation ?? 1] ?? ((s: number, t: number) => [s, t] as const))(area.x, area.y);
	const swap = swapsAxes(orientation);
	const w = swap ? area.h : area.w;
	const h = swap ? area.w : area.h;
	return {x: u - w / 2, y: v - h / 2, w, h};
}
