/**
 * WhatsApp template components built from the node's no-code builder fields (templateChecks.ts
 * checks them, and JSON components, the way Meta does). Pure.
 */
import { toE164 } from './phone';

export type TemplateComponent = Record<string, unknown>;

export type HeaderKind = 'none' | 'text' | 'image' | 'video' | 'document';
/** `copyCode`: an AUTHENTICATION template's one-time-password copy button; `couponCode`: a MARKETING template's offer code. */
export type ButtonKind = 'quickReply' | 'url' | 'phoneNumber' | 'copyCode' | 'couponCode';

export interface BuilderButton {
	type: ButtonKind;
	text?: string;
	url?: string;
	/** The value `{{1}}` at the end of the URL takes in the example Meta reviews. */
	urlSuffixExample?: string;
	phoneNumber?: string;
	/** The offer code Meta reviews on a coupon button, e.g. SUMMER20. */
	couponExample?: string;
}

export interface BuilderInput {
	headerType: HeaderKind;
	headerText?: string;
	/** For a text header: the value of `{{1}}`; for a media header: a link to a sample file (uploaded before the template is created) or an upload handle. */
	headerExample?: string;
	bodyText: string;
	/** One value per body placeholder, in order. */
	bodyExamples: string[];
	footerText?: string;
	buttons: BuilderButton[];
}

export interface TemplateFields {
	name: string;
	language: string;
	category: string;
	components: unknown;
}

/** Meta's button types as a template is created (an OTP button reads back as a URL button). */
export const BUTTON_TYPES: Record<ButtonKind, string> = {
	quickReply: 'QUICK_REPLY',
	url: 'URL',
	phoneNumber: 'PHONE_NUMBER',
	copyCode: 'OTP',
	couponCode: 'COPY_CODE',
};

export const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function buildHeader(input: BuilderInput): TemplateComponent | undefined {
	if (input.headerType === 'none') return undefined;
	const example = input.headerExample?.trim();
	if (input.headerType === 'text') {
		return { type: 'HEADER', format: 'TEXT', text: input.headerText ?? '', ...(example && { example: { header_text: [example] } }) };
	}
	return { type: 'HEADER', format: input.headerType.toUpperCase(), ...(example && { example: { header_handle: [example] } }) };
}

function buildButton(button: BuilderButton): TemplateComponent {
	if (button.type === 'couponCode') return { type: 'COPY_CODE', example: button.couponExample?.trim() ?? '' };
	if (button.type === 'copyCode') return { type: 'OTP', otp_type: 'COPY_CODE', text: button.text?.trim() || 'Copy code' };
	const base = { type: BUTTON_TYPES[button.type], text: button.text ?? '' };
	if (button.type === 'phoneNumber') {
		const phone = toE164(button.phoneNumber ?? '');
		return { ...base, phone_number: phone.ok ? phone.e164 : (button.phoneNumber ?? '') };
	}
	if (button.type !== 'url') return base;
	const url = button.url ?? '';
	const suffix = button.urlSuffixExample?.trim();
	return { ...base, url, ...(suffix && { example: [url.replace('{{1}}', suffix)] }) };
}

/** Lynkist template components (Meta's shape) from the builder fields. */
export function buildComponents(input: BuilderInput): TemplateComponent[] {
	const header = buildHeader(input);
	const body: TemplateComponent = { type: 'BODY', text: input.bodyText };
	const examples = input.bodyExamples.map((value) => value.trim());
	if (examples.length) body.example = { body_text: [examples] };
	return [
		...(header ? [header] : []),
		body,
		...(nonEmpty(input.footerText) ? [{ type: 'FOOTER', text: input.footerText }] : []),
		...(input.buttons.length ? [{ type: 'BUTTONS', buttons: input.buttons.map(buildButton) }] : []),
	];
}

/** Problems of a text field: presence, length, placeholder syntax, count and numbering. */
