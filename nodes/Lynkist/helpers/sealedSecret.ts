/**
 * A Send and Wait endpoint's renewed signing secret, kept where every n8n process can read it:
 * sealed (AES-256-GCM) into the endpoint's description at Lynkist, under a key only the waiting
 * execution has (derived from the secret it registered the endpoint with). A waiting execution
 * cannot change its own data in n8n, so a secret rotated in the Lynkist dashboard is renewed
 * there. Pure: no n8n, no I/O.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

/** What is sealed: the secret, and when Lynkist last changed the endpoint as far as it knows. */
export interface Sealed {
	secret: string;
	at: string;
}

/** Marks the sealed secret in a description. */
export const SEALED_MARK = ' · key ';

const keyOf = (registeredSecret: string) => createHash('sha256').update(`lynkist-wait-secret|${registeredSecret}`).digest();

export function seal(value: Sealed, registeredSecret: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keyOf(registeredSecret), iv);
	const body = Buffer.concat([cipher.update(JSON.stringify({ s: value.secret, a: value.at }), 'utf8'), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The sealed value in `description`, when it was sealed for this registered secret; else undefined. */
export function unseal(description: string, registeredSecret: string): Sealed | undefined {
	const at = description.indexOf(SEALED_MARK);
	if (at < 0) return undefined;
	const blob = description.slice(at + SEALED_MARK.length).split(' ')[0];
	try {
		const raw = Buffer.from(blob, 'base64url');
		const decipher = createDecipheriv('aes-256-gcm', keyOf(registeredSecret), raw.subarray(0, 12));
		decipher.setAuthTag(raw.subarray(12, 28));
		const parsed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as {
			s?: unknown;
			a?: unknown;
		};
		return typeof parsed.s === 'string' ? { secret: parsed.s, at: String(parsed.a ?? '') } : undefined;
	} catch {
		return undefined;
	}
}

/**
 * `description` with `blob` as its sealed secret (replacing one it had), placed before `tailMark`
 * (the time limit) when there is one, and the head shortened to keep within `max` characters.
 */
export function withSealed(description: string, blob: string, tailMark: string, max: number): string {
	let rest = description;
	const old = rest.indexOf(SEALED_MARK);
	if (old >= 0) {
		const end = rest.indexOf(' · ', old + SEALED_MARK.length);
		rest = rest.slice(0, old) + (end >= 0 ? rest.slice(end) : '');
	}
	const cut = rest.lastIndexOf(tailMark);
	const [head, tail] = cut >= 0 ? [rest.slice(0, cut), rest.slice(cut)] : [rest, ''];
	const sealed = `${SEALED_MARK}${blob}${tail}`;
	return head.slice(0, Math.max(0, max - sealed.length)) + sealed;
}
