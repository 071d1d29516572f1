/**
 * Sealing what Send and Wait keeps outside n8n's reach of secrets (AES-256-GCM). A wait
 * endpoint's renewed signing secret is kept where every n8n process can read it: sealed into the
 * endpoint's description at Lynkist, under a key only the waiting execution has (derived from the
 * secret it registered the endpoint with) — a waiting execution cannot change its own data in
 * n8n, so a secret rotated in the Lynkist dashboard is renewed there. Pure: no n8n, no I/O.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

/** What is sealed: the secret, and when Lynkist last changed the endpoint as far as it knows. */
export interface Sealed {
	secret: string;
	at: string;
}

/** Marks the sealed secret in a description. */
export const SEALED_MARK = ' · key ';

/** `text` sealed (AES-256-GCM) under a key derived from `keyMaterial`: base64url of iv, tag and ciphertext. */
export function sealText(text: string, keyMaterial: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(keyMaterial).digest(), iv);
	const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The text `blob` seals, when it was sealed under this key material; else undefined. */
export function unsealText(blob: string, keyMaterial: string): string | undefined {
	try {
		const raw = Buffer.from(blob, 'base64url');
		const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(keyMaterial).digest(), raw.subarray(0, 12));
		decipher.setAuthTag(raw.subarray(12, 28));
		return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
	} catch {
		return undefined;
	}
}

const keyMaterialOf = (registeredSecret: string) => `lynkist-wait-secret|${registeredSecret}`;

export function seal(value: Sealed, registeredSecret: string): string {
	return sealText(JSON.stringify({ s: value.secret, a: value.at }), keyMaterialOf(registeredSecret));
}

/** The sealed value in `description`, when it was sealed for this registered secret; else undefined. */
export function unseal(description: string, registeredSecret: string): Sealed | undefined {
	const at = description.indexOf(SEALED_MARK);
	if (at < 0) return undefined;
	const text = unsealText(description.slice(at + SEALED_MARK.length).split(' ')[0], keyMaterialOf(registeredSecret));
	try {
		const parsed = JSON.parse(text ?? '') as { s?: unknown; a?: unknown };
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
