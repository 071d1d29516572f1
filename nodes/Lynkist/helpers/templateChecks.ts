/**
 * A template checked the way Meta checks it before review — name, language, category and
 * components — so that a problem is named (with its fix) before anything is sent. Pure.
 */
import {
	TEMPLATE_CATEGORIES,
	TEMPLATE_LANGUAGE_PATTERN,
	TEMPLATE_LIMITS,
	TEMPLATE_NAME_MAX,
	TEMPLATE_NAME_PATTERN,
} from '../../shared/constants';
import { toE164 } from './phone';
import { listPlaceholders, malformedPlaceholders, numberedFromOne, placeholderNumbers } from './placeholders';
import { isRecord } from '../../shared/helpers/records';
import type { TemplateComponent, TemplateFields } from './templateBuilder';
import { BUTTON_TYPES, nonEmpty } from './templateBuilder';

/** [doc, Meta] The one-time-password button kinds; this package creates copy-code ones. */
const OTP_TYPES = ['COPY_CODE'];

const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'];
const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'];

function checkText(label: string, text: unknown, max: number, allowed: number): string[] {
	if (!nonEmpty(text)) return [`${label}: the text is empty — fill it in`];
	const problems: string[] = [];
	if (text.length > max) problems.push(`${label}: the text has ${text.length} characters, at most ${max} are allowed — shorten it`);
	const malformed = malformedPlaceholders(text);
	if (malformed.length) {
		problems.push(
			`${label}: ${malformed.join(', ')} is not a placeholder — write placeholders as a number in double braces, {{1}}, {{2}}, … with no spaces`,
		);
	}
	const numbers = placeholderNumbers(text);
	if (numbers.length > allowed) {
		problems.push(
			allowed === 0
				? `${label}: placeholders are not allowed here — remove ${listPlaceholders(numbers)}`
				: `${label}: at most ${allowed} placeholder ({{1}}) is allowed here, found ${listPlaceholders(numbers)}`,
		);
	} else if (!numberedFromOne(numbers)) {
		problems.push(
			`${label}: placeholders must be numbered from {{1}} without gaps, found ${listPlaceholders(numbers)} — renumber them {{1}} to {{${numbers.length}}}`,
		);
	}
	return problems;
}

/** One example value per placeholder, as Meta requires for review. */
function checkExamples(label: string, count: number, values: unknown, where: string): string[] {
	const list = Array.isArray(values) ? values : [];
	if (count === 0) {
		return list.length ? [`${label}: example values were given but the text has no placeholders — remove them (${where})`] : [];
	}
	const filled = list.filter(nonEmpty).length;
	if (list.length === count && filled === count) return [];
	return [
		`${label}: ${count} placeholder(s) need ${count} example value(s), one per placeholder in order, but ${filled} ${filled === 1 ? 'was' : 'were'} given — add them (${where})`,
	];
}

function checkHeader(component: TemplateComponent, category: string): string[] {
	if (category === 'AUTHENTICATION') return ['Header: AUTHENTICATION templates cannot have a header — set Header to None'];
	const format = component.format;
	if (typeof format !== 'string' || !HEADER_FORMATS.includes(format)) {
		return [`Header: the format must be one of ${HEADER_FORMATS.join(', ')}, got ${JSON.stringify(format)}`];
	}
	const example = isRecord(component.example) ? component.example : {};
	if (format !== 'TEXT') {
		const handles = Array.isArray(example.header_handle) ? example.header_handle : [];
		return handles.some(nonEmpty)
			? []
			: [
					`Header: the ${format} header needs a sample ${format.toLowerCase()} for Meta's reviewers — give it from binary data or a link (Header Sample; in JSON: example.header_handle or Header Sample From Binary)`,
				];
	}
	const problems = checkText('Header', component.text, TEMPLATE_LIMITS.headerText, 1);
	if (problems.length) return problems;
	const count = placeholderNumbers(component.text).length;
	return checkExamples('Header', count, example.header_text, 'Header Example; in JSON: example.header_text');
}

function checkBody(component: TemplateComponent, category: string): string[] {
	const problems = checkText('Body', component.text, TEMPLATE_LIMITS.bodyText, Infinity);
	if (problems.length) return problems;
	const count = placeholderNumbers(component.text).length;
	if (category === 'AUTHENTICATION' && count !== 1) {
		return ['Body: an AUTHENTICATION template has exactly one placeholder, {{1}}, for the code — e.g. "{{1}} is your verification code."'];
	}
	const example = isRecord(component.example) ? component.example : {};
	const rows = Array.isArray(example.body_text) ? example.body_text : [];
	return checkExamples('Body', count, rows[0], 'Body Examples; in JSON: example.body_text');
}

function checkButton(button: unknown, index: number): string[] {
	const at = `Button ${index + 1}`;
	if (!isRecord(button)) return [`${at}: must be an object with a "type"`];
	const kinds = Object.values(BUTTON_TYPES);
	if (typeof button.type !== 'string' || !kinds.includes(button.type)) {
		return [`${at}: the type must be one of ${kinds.join(', ')}, got ${JSON.stringify(button.type)}`];
	}
	const label = `${at} (${button.type})`;
	if (button.type === 'COPY_CODE') {
		const example = button.example;
		return nonEmpty(example) && example.length <= TEMPLATE_LIMITS.couponCode
			? []
			: [
					`${label}: the offer code needs an example of 1 to ${TEMPLATE_LIMITS.couponCode} characters, e.g. SUMMER20 (Offer Code Example; in JSON: example)`,
				];
	}
	const problems = checkText(`${label} label`, button.text, TEMPLATE_LIMITS.buttonText, 0);
	if (button.type === 'OTP' && !OTP_TYPES.includes(String(button.otp_type))) {
		problems.push(`${label}: otp_type must be ${OTP_TYPES.join(' or ')}, got ${JSON.stringify(button.otp_type)}`);
	}
	if (
		button.type === 'PHONE_NUMBER' &&
		!(typeof button.phone_number === 'string' && toE164(button.phone_number).ok && /^\+\d+$/.test(button.phone_number))
	) {
		problems.push(`${label}: the phone number must be in international format, e.g. +15551234567`);
	}
	if (button.type === 'URL') problems.push(...checkUrl(label, button));
	return problems;
}

function checkUrl(label: string, button: Record<string, unknown>): string[] {
	const url = button.url;
	if (!nonEmpty(url) || !/^https?:\/\/\S+$/.test(url)) {
		return [`${label}: the URL must be a web address starting with https://, e.g. https://shop.example.com/orders/{{1}}`];
	}
	const problems = checkText(`${label} URL`, url, TEMPLATE_LIMITS.url, 1);
	if (problems.length) return problems;
	const dynamic = placeholderNumbers(url).length === 1;
	if (dynamic && !url.endsWith('{{1}}')) {
		return [`${label}: the dynamic part {{1}} must be at the very end of the URL, e.g. https://shop.example.com/orders/{{1}}`];
	}
	return checkExamples(`${label} URL`, dynamic ? 1 : 0, button.example, 'URL Example Suffix; in JSON: example');
}

function checkButtons(component: TemplateComponent, category: string): string[] {
	const { buttons } = component;
	if (!Array.isArray(buttons) || buttons.length === 0) return ['Buttons: add at least one button, or leave buttons out'];
	const problems = buttons.flatMap(checkButton);
	if (buttons.length > TEMPLATE_LIMITS.buttons) {
		problems.push(`Buttons: ${buttons.length} buttons, at most ${TEMPLATE_LIMITS.buttons} are allowed — remove some`);
	}
	const types = buttons.map((b) => (isRecord(b) ? b.type : undefined));
	for (const [type, max] of Object.entries(TEMPLATE_LIMITS.buttonsOfType)) {
		const count = types.filter((t) => t === type).length;
		if (count > max) problems.push(`Buttons: ${count} ${type} buttons, at most ${max} allowed — remove ${count - max}`);
	}
	const quickReplies = types.flatMap((t, i) => (t === 'QUICK_REPLY' ? [i] : []));
	if (quickReplies.length && quickReplies[quickReplies.length - 1] - quickReplies[0] + 1 !== quickReplies.length) {
		problems.push('Buttons: QUICK_REPLY buttons must be next to each other, not mixed between other buttons — reorder them');
	}
	if (category === 'AUTHENTICATION' && (types.length !== 1 || types[0] !== 'OTP')) {
		problems.push('Buttons: an AUTHENTICATION template has exactly one button, the one-time-password Copy Code button (OTP), and no other');
	}
	if (category !== 'AUTHENTICATION' && types.includes('OTP')) {
		problems.push(
			'Buttons: the one-time-password Copy Code button (OTP) is for AUTHENTICATION templates — set Category to Authentication, or use another button type',
		);
	}
	if (category !== 'MARKETING' && types.includes('COPY_CODE')) {
		problems.push(
			'Buttons: the Copy Offer Code button (COPY_CODE) is for MARKETING templates — set Category to Marketing, or use another button type',
		);
	}
	return problems;
}

const CHECKS: Record<string, (component: TemplateComponent, category: string) => string[]> = {
	HEADER: checkHeader,
	BODY: checkBody,
	FOOTER: (component) => checkText('Footer', component.text, TEMPLATE_LIMITS.footerText, 0),
	BUTTONS: checkButtons,
};

function checkComponents(components: unknown, category: string): string[] {
	if (!Array.isArray(components)) {
		return ['Components: must be a JSON array, e.g. [{"type": "BODY", "text": "Hello {{1}}", "example": {"body_text": [["Ana"]]}}]'];
	}
	const problems: string[] = [];
	const seen = new Map<string, number>();
	components.forEach((component, index) => {
		const type = isRecord(component) ? component.type : undefined;
		if (!isRecord(component) || typeof type !== 'string' || !COMPONENT_TYPES.includes(type)) {
			problems.push(`Component ${index + 1}: the type must be one of ${COMPONENT_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
			return;
		}
		seen.set(type, (seen.get(type) ?? 0) + 1);
		problems.push(...CHECKS[type](component, category));
	});
	if (!seen.has('BODY')) problems.push('Components: a BODY component is required');
	for (const [type, count] of seen) {
		if (count > 1) problems.push(`Components: ${count} ${type} components, only one is allowed`);
	}
	if (category === 'AUTHENTICATION' && !seen.has('BUTTONS')) {
		problems.push('Buttons: an AUTHENTICATION template needs the one-time-password Copy Code button — add it');
	}
	return problems;
}

function checkName(name: string): string[] {
	if (!name) return ['Name: required — e.g. order_update'];
	const problems: string[] = [];
	if (name.length > TEMPLATE_NAME_MAX) problems.push(`Name: ${name.length} characters, at most ${TEMPLATE_NAME_MAX} are allowed`);
	if (!TEMPLATE_NAME_PATTERN.test(name)) {
		const suggestion = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
		problems.push(`Name: "${name}" may contain only lowercase letters, digits and underscores — e.g. ${suggestion}`);
	}
	return problems;
}

/** Every problem Meta's review or Lynkist would find in a new template, each with its fix; empty when valid. */
export function checkTemplate({ name, language, category, components }: TemplateFields): string[] {
	const problems = checkName(name);
	if (!TEMPLATE_LANGUAGE_PATTERN.test(language)) {
		const underscored = language.replace(/-/g, '_');
		const example = TEMPLATE_LANGUAGE_PATTERN.test(underscored) ? underscored : 'en_US';
		problems.push(`Language: "${language}" is not a WhatsApp locale code — pick one from the list or type a code like ${example}`);
	}
	if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(category)) {
		problems.push(`Category: must be one of ${TEMPLATE_CATEGORIES.join(', ')}, got ${JSON.stringify(category)}`);
	}
	return [...problems, ...checkComponents(components, category)];
}
