/** Phone numbers as people paste them → E.164, the only form Lynkist accepts. Pure. */

/**
 * [doc] E.164: a plus, a country code that does not start with 0, at most 15 digits in all. At
 * least 8: a WhatsApp number shorter than that is a number with digits missing.
 */
const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * How many digits may follow the country code (the national significant number, without the
 * trunk 0 dialled inside the country), for the countries whose numbering plans fix it. A number
 * of another length for these codes does not exist: it is refused rather than sent to a stranger.
 * `zero`: the country's numbers may start with 0 after the code (Italy); elsewhere a 0 there is
 * the trunk prefix written by mistake. Codes not listed get E.164's own limits only.
 */
const COUNTRIES: Record<string, { name: string; lengths: number[]; zero?: true }> = {
	'1': { name: 'North America (+1)', lengths: [10] },
	'7': { name: 'Russia and Kazakhstan', lengths: [10] },
	'27': { name: 'South Africa', lengths: [9] },
	'30': { name: 'Greece', lengths: [10] },
	'31': { name: 'the Netherlands', lengths: [9] },
	'32': { name: 'Belgium', lengths: [8, 9] },
	'33': { name: 'France', lengths: [9] },
	'34': { name: 'Spain', lengths: [9] },
	'39': { name: 'Italy', lengths: [6, 7, 8, 9, 10, 11], zero: true },
	'41': { name: 'Switzerland', lengths: [9] },
	'44': { name: 'the United Kingdom', lengths: [7, 9, 10] },
	'45': { name: 'Denmark', lengths: [8] },
	'47': { name: 'Norway', lengths: [5, 8] },
	'48': { name: 'Poland', lengths: [9] },
	'52': { name: 'Mexico', lengths: [10, 11] },
	'55': { name: 'Brazil', lengths: [10, 11] },
	'61': { name: 'Australia', lengths: [9] },
	'65': { name: 'Singapore', lengths: [8] },
	'81': { name: 'Japan', lengths: [9, 10] },
	'90': { name: 'Turkey', lengths: [10] },
	'91': { name: 'India', lengths: [10] },
	'351': { name: 'Portugal', lengths: [9] },
	'353': { name: 'Ireland', lengths: [7, 8, 9] },
	'971': { name: 'the United Arab Emirates', lengths: [8, 9] },
};

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

const lengthsText = (lengths: number[]) =>
	lengths.length === 1 ? String(lengths[0]) : `${lengths.slice(0, -1).join(', ')} or ${lengths[lengths.length - 1]}`;

/** The listed country whose code `digits` (after `+`) start with. */
function countryOf(digits: string) {
	const code = [1, 2, 3].map((n) => digits.slice(0, n)).find((c) => COUNTRIES[c]);
	return code ? { code, ...COUNTRIES[code] } : undefined;
}

/** Why the digits after `+` cannot be a number of their country, or undefined. */
function countryProblem(raw: string, digits: string): string | undefined {
	const country = countryOf(digits);
	if (!country) return undefined;
	const { code, name, lengths, zero } = country;
	const national = digits.slice(code.length);
	if (!zero && national.startsWith('0')) {
		return `"${raw}" has a 0 right after the country code +${code}: that 0 is dialled only inside the country, leave it out (e.g. +${code} ${national.slice(1)})`;
	}
	if (!lengths.includes(national.length)) {
		return `"${raw}" has ${national.length} digits after the country code +${code}, and numbers in ${name} have ${lengthsText(lengths)}: a digit is missing or one too many`;
	}
	return undefined;
}

/**
 * Accepts spaces, dashes, dots, slashes and brackets between digits, and `00` instead of `+`
 * (`+91 99999-99999`, `+1 (555) 010-0100`, `0044 20 7946 0000`). A `(0)` after the country code
 * (`+44 (0)20 7946 0000`) is the national trunk prefix and is left out. A number without a
 * country code is refused: guessing one would message a stranger; so is one whose length its
 * country's numbers cannot have (unless `checkCountry` is false: a number Lynkist reports).
 */
export function toE164(input: unknown, { checkCountry = true }: { checkCountry?: boolean } = {}): PhoneResult {
	const raw = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
	if (raw === '') return { ok: false, reason: 'is empty' };
	if (/[^\d+\s().\-/]/.test(raw)) return { ok: false, reason: `"${raw}" contains characters that are not part of a phone number` };
	const plain = (text: string) => {
		const digits = text.replace(/[\s().\-/]/g, '');
		return digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
	};
	let digits = plain(raw);
	const withoutTrunk = plain(raw.replace(/\(\s*0\s*\)/g, ''));
	if (digits.startsWith('+') && withoutTrunk !== digits && !countryOf(withoutTrunk.slice(1))?.zero) digits = withoutTrunk;
	if (!digits.startsWith('+')) {
		return { ok: false, reason: `"${raw}" has no country code: write it as + then the country code and the number, e.g. +919999999999` };
	}
	if (!E164.test(digits)) {
		return { ok: false, reason: `"${raw}" is not a valid international number (E.164: + then 8 to 15 digits, e.g. +919999999999)` };
	}
	const problem = checkCountry ? countryProblem(raw, digits.slice(1)) : undefined;
	return problem ? { ok: false, reason: problem } : { ok: true, e164: digits };
}
