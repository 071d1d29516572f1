/** Phone numbers as people paste them → E.164, the only form Lynkist accepts. Pure. */

/**
 * [doc] E.164: a plus, a country code that does not start with 0, at most 15 digits in all. At
 * least 8: a WhatsApp number shorter than that is a number with digits missing.
 */
const E164 = /^\+[1-9]\d{7,14}$/;

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Accepts spaces, dashes, dots, slashes and brackets between digits, and `00` instead of `+`
 * (`+91 99999-99999`, `+1 (555) 010-0100`, `0044 20 7946 0000`). A number without a country code
 * is refused: guessing one would message a stranger.
 */
export function toE164(input: unknown): PhoneResult {
	const raw = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
	if (raw === '') return { ok: false, reason: 'is empty' };
	if (/[^\d+\s().\-/]/.test(raw)) return { ok: false, reason: `"${raw}" contains characters that are not part of a phone number` };
	let digits = raw.replace(/[\s().\-/]/g, '');
	if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
	if (!digits.startsWith('+')) {
		return { ok: false, reason: `"${raw}" has no country code: write it as + then the country code and the number, e.g. +919999999999` };
	}
	if (!E164.test(digits)) {
		return { ok: false, reason: `"${raw}" is not a valid international number (E.164: + then 8 to 15 digits, e.g. +919999999999)` };
	}
	return { ok: true, e164: digits };
}
