'use strict';
/** Meta's template grammar: validation of a template's fields and what a send must supply. */
const { TEMPLATE } = require('../constants');
const { issue, isObject } = require('../lib/http');

const VARIABLE = /\{\{(\d+)\}\}/g;

/** Distinct variable numbers of a text, ascending. */
function variables(text) {
	if (typeof text !== 'string') return [];
	const found = new Set();
	for (const match of text.matchAll(VARIABLE)) found.add(Number(match[1]));
	return [...found].sort((a, b) => a - b);
}

const numberedWithoutGaps = (nums) => nums.every((n, i) => n === i + 1);

function checkText(loc, text, { required = true, max, maxVariables = Infinity }) {
	if (text === undefined && !required) return [];
	if (typeof text !== 'string' || text.length === 0) return [issue(loc, 'Field required: a non-empty string', 'missing')];
	const problems = [];
	if (max && text.length > max) problems.push(issue(loc, `Text must be at most ${max} characters`, 'string_too_long'));
	const nums = variables(text);
	if (nums.length > maxVariables) {
		problems.push(issue(loc, maxVariables === 0 ? 'Variables are not allowed here' : `At most ${maxVariables} variable(s) allowed here`));
	} else if (!numberedWithoutGaps(nums)) {
		problems.push(issue(loc, 'Variables must be numbered {{1}}, {{2}}, … without gaps'));
	}
	return problems;
}

function checkHeader(loc, component) {
	if (!TEMPLATE.headerFormats.includes(component.format)) {
		return [issue([...loc, 'format'], `Header format must be one of ${TEMPLATE.headerFormats.join(', ')}`, 'enum')];
	}
	if (component.format !== 'TEXT') return [];
	return checkText([...loc, 'text'], component.text, { max: TEMPLATE.headerTextMax, maxVariables: 1 });
}

function checkButton(loc, button) {
	if (!isObject(button)) return [issue(loc, 'Button must be an object', 'model_type')];
	if (!TEMPLATE.buttonTypes.includes(button.type)) {
		return [issue([...loc, 'type'], `Button type must be one of ${TEMPLATE.buttonTypes.join(', ')}`, 'enum')];
	}
	const problems = [];
	if (button.type === 'COPY_CODE') {
		const { example } = button;
		if (typeof example !== 'string' || example.length === 0 || example.length > TEMPLATE.couponCodeMax) {
			problems.push(
				issue([...loc, 'example'], `A COPY_CODE button needs an example offer code of 1-${TEMPLATE.couponCodeMax} characters`, 'missing'),
			);
		}
		return problems;
	}
	if (button.type === 'OTP') {
		if (!TEMPLATE.otpTypes.includes(button.otp_type)) {
			problems.push(
				issue(
					[...loc, 'otp_type'],
					`Input should be ${TEMPLATE.otpTypes.map((t) => `'${t}'`).join(', ')}`,
					button.otp_type === undefined ? 'missing' : 'enum',
				),
			);
		}
		if (button.otp_type !== 'COPY_CODE' && !Array.isArray(button.supported_apps) && !(button.package_name && button.signature_hash)) {
			problems.push(
				issue([...loc, 'supported_apps'], 'ONE_TAP and ZERO_TAP buttons need supported_apps (package_name and signature_hash)', 'missing'),
			);
		}
	}
	if (button.text !== undefined && typeof button.text !== 'string')
		problems.push(issue([...loc, 'text'], 'Input should be a valid string', 'string_type'));
	if (button.type === 'QUICK_REPLY') problems.push(...checkText([...loc, 'text'], button.text, { maxVariables: 0 }));
	if (button.type === 'PHONE_NUMBER' && (typeof button.phone_number !== 'string' || !button.phone_number)) {
		problems.push(issue([...loc, 'phone_number'], 'Field required', 'missing'));
	}
	if (button.type === 'URL') {
		problems.push(...checkText([...loc, 'url'], button.url, { maxVariables: 1 }));
		if (variables(button.url).length === 1 && !/\{\{1\}\}$/.test(button.url)) {
			problems.push(issue([...loc, 'url'], 'The URL variable must be at the end of the URL'));
		}
	}
	return problems;
}

function checkButtons(loc, component) {
	const { buttons } = component;
	if (!Array.isArray(buttons) || buttons.length < TEMPLATE.buttonsMin || buttons.length > TEMPLATE.buttonsMax) {
		return [issue([...loc, 'buttons'], `Buttons must be a list of ${TEMPLATE.buttonsMin}-${TEMPLATE.buttonsMax} buttons`, 'list_type')];
	}
	return buttons.flatMap((button, i) => checkButton([...loc, 'buttons', i], button));
}

const COMPONENT_CHECKS = {
	HEADER: checkHeader,
	BODY: (loc, c) => checkText([...loc, 'text'], c.text, { max: TEMPLATE.bodyTextMax }),
	FOOTER: (loc, c) => checkText([...loc, 'text'], c.text, { max: TEMPLATE.footerTextMax, maxVariables: 0 }),
	BUTTONS: checkButtons,
};

function checkComponents(components) {
	const loc = ['body', 'components'];
	if (!Array.isArray(components)) return [issue(loc, 'Input should be a valid list', 'list_type')];
	const problems = [];
	const counts = {};
	components.forEach((component, i) => {
		const at = [...loc, i];
		if (!isObject(component)) return problems.push(issue(at, 'Component must be an object', 'model_type'));
		const check = COMPONENT_CHECKS[component.type];
		if (!check) {
			return problems.push(issue([...at, 'type'], `Component type must be one of ${Object.keys(COMPONENT_CHECKS).join(', ')}`, 'enum'));
		}
		counts[component.type] = (counts[component.type] ?? 0) + 1;
		problems.push(...check(at, component));
	});
	if (counts.BODY !== 1) problems.push(issue(loc, 'Exactly one BODY component is required'));
	for (const type of ['HEADER', 'FOOTER', 'BUTTONS']) {
		if (counts[type] > 1) problems.push(issue(loc, `At most one ${type} component is allowed`));
	}
	return problems;
}

/**
 * Meta's category rules for buttons: an AUTHENTICATION template has exactly one button, an OTP
 * one, and no header; OTP buttons belong to AUTHENTICATION and coupon COPY_CODE buttons to MARKETING.
 */
function checkCategory(category, components, stored) {
	if (!Array.isArray(components)) return [];
	const loc = ['body', 'components'];
	const buttons = components.find((c) => isObject(c) && c.type === 'BUTTONS')?.buttons;
	const readBackOtp = (b) => stored && b?.type === 'URL' && b.url === TEMPLATE.otpReadBack.url;
	const types = Array.isArray(buttons) ? buttons.map((b) => (readBackOtp(b) ? 'OTP' : b?.type)) : [];
	const problems = [];
	if (category === 'AUTHENTICATION') {
		if (types.length !== 1 || types[0] !== 'OTP')
			problems.push(issue(loc, 'An AUTHENTICATION template needs exactly one button, of type OTP'));
		if (components.some((c) => isObject(c) && c.type === 'HEADER'))
			problems.push(issue(loc, 'An AUTHENTICATION template cannot have a HEADER'));
	} else if (types.includes('OTP')) {
		problems.push(issue(loc, 'OTP buttons are only allowed in AUTHENTICATION templates'));
	}
	if (category !== 'MARKETING' && types.includes('COPY_CODE'))
		problems.push(issue(loc, 'COPY_CODE (coupon code) buttons are only allowed in MARKETING templates'));
	return problems;
}

/**
 * Problems with a template's fields, FastAPI style; empty when valid. `stored`: the components
 * are in the form Meta keeps (a seeded template), where an OTP button is already a URL button.
 */
function checkTemplate({ template_name, language, category, components }, { stored = false } = {}) {
	const problems = [];
	if (typeof template_name !== 'string' || !TEMPLATE.namePattern.test(template_name)) {
		problems.push(
			issue(
				['body', 'template_name'],
				'Template name must be 1-255 characters of lowercase letters, digits and underscores',
				'string_pattern_mismatch',
			),
		);
	}
	if (typeof language !== 'string' || !TEMPLATE.languagePattern.test(language)) {
		problems.push(
			issue(['body', 'language'], 'Language must be 2-10 letters or underscores, e.g. en, en_US, pt_BR', 'string_pattern_mismatch'),
		);
	}
	if (!TEMPLATE.categories.includes(category)) {
		problems.push(issue(['body', 'category'], `Input should be ${TEMPLATE.categories.map((c) => `'${c}'`).join(', ')}`, 'enum'));
	}
	problems.push(...checkComponents(components));
	if (!problems.length) problems.push(...checkCategory(category, components, stored));
	return problems;
}

/** Components as Meta keeps them: an OTP copy-code button reads back as a URL button ending in the code. */
function storedForm(components) {
	if (!Array.isArray(components)) return components;
	return components.map((c) =>
		c.type === 'BUTTONS'
			? {
					...c,
					buttons: c.buttons.map((b) =>
						b.type === 'OTP' && b.otp_type === 'COPY_CODE'
							? { type: 'URL', text: b.text || TEMPLATE.otpReadBack.text, url: TEMPLATE.otpReadBack.url }
							: b,
					),
				}
			: c,
	);
}

/** What a send must supply for a template: variable counts per component and its buttons. */
function expectations(template) {
	const byType = (type) => (template.components ?? []).find((c) => c.type === type);
	const header = byType('HEADER');
	const body = byType('BODY');
	const buttons = byType('BUTTONS')?.buttons ?? [];
	return {
		header: header ? { format: header.format, count: header.format === 'TEXT' ? variables(header.text).length : 1 } : null,
		body: variables(body?.text).length,
		buttons: buttons.map((b) => ({ type: b.type, count: b.type === 'URL' ? variables(b.url).length : b.type === 'COPY_CODE' ? 1 : 0 })),
	};
}

module.exports = { variables, checkTemplate, expectations, storedForm };
