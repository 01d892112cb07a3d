/**
 * Tags from metadata alone (issue 6): screenshots, panoramas and events, each with a confidence. Pure.
 */

/** What the rules look at. */
export type RuleInput = {
	readonly sha256: string;
	readonly path: string;
	readonly format: string;
	readonly width: number | null;
	readonly height: number | null;
	readonly make: string | null;
	readonly software: string | null;
	/** ISO capture time, or null. */
	readonly takenAt: string | null;
	/** Where the time came from; `mtime` (a file date) is too weak to group events by. */
	readonly takenAtSource: string | null;
	/** Issue 17's device categories: the lens and model (a front camera), the kind, burst and Live Photo links. */
	readonly lens?: string | null;
	readonly model?: string | null;
	readonly kind?: string | null;
	readonly burstId?: string | null;
	readonly livePhotoId?: string | null;
};

/** One rule's verdict. */
export type RuleTag = {readonly sha256: string; readonly tag: string; readonly confidence: number};

/** Screen sizes of common phones, tablets and monitors (either orientation). */
const screenSizes = new Set(
	[
		[1920, 1080], [2560, 1440], [3840, 2160], [1366, 768], [1440, 900], [1536, 864], [1280, 800], [2560, 1600], [2880, 1800],
		[3024, 1964], [1280, 720], [750, 1334], [1080, 1920], [1242, 2208], [1125, 2436], [828, 1792], [1242, 2688], [1170, 2532],
		[1284, 2778], [1179, 2556], [1290, 2796], [1206, 2622], [1320, 2868], [1080, 2400], [1080, 2340], [1440, 3200], [1440, 3120],
		[1536, 2048], [1668, 2388], [2048, 2732], [1620, 2160],
	].flatMap(([a, b]) => [`${a}x${b}`, `${b}x${a}`]),
);

const screenshotName = /screen ?shot|scrnshot|screen[-_ ]capture|bildschirmfoto|capture d.?(?:é|e)cran|schermata|captura de pantalla/i;

/** A front (selfie) camera as phones name it in the lens or model field: `iPhone 12 front camera 2.71mm f/2.2`. */
const frontCamera = /\bfront\b|\bselfie\b|truedepth/i;
/** Software fields of photo editors (a camera's firmware version is not an edit). */
const editor = /photoshop|lightroom|\bgimp\b|snapseed|\bvsco\b|darktable|affinity photo|pixelmator|capture one|luminar|picasa|acdsee|paint\.net|polarr|facetune|rawtherapee|digikam|photoscape|\bon1\b/i;

/** Device categories (issue 17): what the camera fields say for certain, so each has confidence 1. */
function deviceTags(file: RuleInput): string[] {
	const tags: string[] = [];
	if ((file.lens && frontCamera.test(file.lens)) || (file.model && frontCamera.test(file.model))) {
		tags.push('selfie');
	}

	if (file.burstId) {
		tags.push('burst');
	}

	if (file.livePhotoId) {
		tags.push('live photo');
	}

	if (file.kind === 'video') {
		tags.push('video');
	}

	if (file.software && editor.test(file.software)) {
		tags.push('edited');
	}

	return tags;
}

/** Hours without a photo that end an event. */
export const eventGapHours = 4;
/** Photos an event needs. */
export const eventMinimumPhotos = 3;

/**
 * Rule tags for every input: `screenshot` (a name or Software that says so: 1.0; a PNG without camera EXIF at a
 * screen size: 0.8), `panorama` (aspect ratio ≥ 2.5), the device categories `selfie`, `burst`, `live photo`, `video`
 * and `edited` (1.0 each), and `event/YYYY-MM-DD` for runs of at least
 * `eventMinimumPhotos` photos with no gap over `eventGapHours` (named after the first photo's day).
 * `names` maps a rule's tag to the taxonomy's name for it (e.g. screenshot → objects/screenshot).
 */
export function ruleTags(inputs: readonly RuleInput[], names: (tag: string) => string = tag => tag): RuleTag[] {
	const tags: RuleTag[] = [];
	for (const file of inputs) {
		const base = file.path.slice(file.path.lastIndexOf('/') + 1);
		if (screenshotName.test(base) || (file.software && /screenshot/i.test(file.software))) {
			tags.push({sha256: file.sha256, tag: names('screenshot'), confidence: 1});
		} else if (file.format === 'png' && !file.make && screenSizes.has(`${file.width}x${file.height}`)) {
			tags.push({sha256: file.sha256, tag: names('screenshot'), confidence: 0.8});
		}

		if (file.width && file.height && Math.max(file.width, file.height) / Math.min(file.width, file.height) >= 2.5) {
			tags.push({sha256: file.sha256, tag: names('panorama'), confidence: 1});
		}

		for (const tag of deviceTags(file)) {
			tags.push({sha256: file.sha256, tag: names(tag), confidence: 1});
		}
	}

	const timed = inputs
		.filter(file => file.takenAt && file.takenAtSource && file.takenAtSource !== 'mtime' && Number.isFinite(Date.parse(file.takenAt)))
		.map(file => ({file, time: Date.parse(file.takenAt!)}))
		.sort((a, b) => a.time - b.time);
	let run: typeof timed = [];
	const close = () => {
		if (run.length >= eventMinimumPhotos) {
			// The local day as the camera wrote it, not the UTC one: an evening party stays on its own date.
			const day = run[0]!.file.takenAt!.slice(0, 10);
			const seen = new Set<string>();
			for (const {file} of run) {
				if (!seen.has(file.sha256)) {
					seen.add(file.sha256);
					tags.push({sha256: file.sha256, tag: `event/${day}`, confidence: 1});
				}
			}
		}

		run = [];
	};

	for (const entry of timed) {
		if (run.length > 0 && entry.time - run.at(-1)!.time > eventGapHours * 3_600_000) {
			close();
		}

		run.push(entry);
	}

	close();
	return tags;
}
