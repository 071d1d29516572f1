'use strict';
/** The send-side `components` of POST /messages/template: their shape, then their fit to the template. */
const { MESSAGE } = require('../constants');
const { issue, isObject } = require('../lib/http');
const { expectations } = require('../state/templateRules');

const isString = (v) => typeof v === 'string';
const hasFallback = (v) => isObject(v) && isString(v.fallback_value);

/** Checks the value object a parameter of each type carries. */
const VALUE_CHECKS = {
	text: (v) => isString(v) || 'Input should be a valid string',
	payload: (v) => isString(v) || 'Input should be a valid string',
	coupon_code: (v) => (isString(v) && v.length > 0 && v.length <= 15) || 'Input should be an offer code of 1-15 characters',
	currency: (v) =>
		(hasFallback(v) && isString(v.code) && Number.isFinite(v.amount_1000)) ||
		'Input should be an object with fallback_value, code and amount_1000',
	date_time: (v) => hasFallback(v) || 'Input should be an object with fallback_value',
	image: (v) => (isObject(v) && isString(v.link)) || 'Input should be an object with a link',
	document: (v) => (isObject(v) && isString(v.link)) || 'Input should be an object with a link',
	video: (v) => (isObject(v) && isString(v.link)) || 'Input should be an object with a link',
};

function checkParameter(loc, parameter) {
	if (!isObject(parameter)) return [issue(loc, 'Input should be a valid dictionary', 'dict_type')];
	if (!MESSAGE.parameterTypes.includes(parameter.type)) {
		return [issue([...loc, 'type'], `Input should be ${MESSAGE.parameterTypes.map((t) => `'${t}'`).join(', ')}`, 'enum')];
	}
	const value = parameter[parameter.type];
	if (value === undefined) return [issue([...loc, parameter.type], 'Field required', 'missing')];
	const verdict = VALUE_CHECKS[parameter.type](value);
	return verdict === true ? [] : [issue([...loc, parameter.type], verdict)];
}

const isButtonIndex = (v) => (Number.isInteger(v) && v >= 0 && v <= 9) || (isString(v) && /^[0-9]$/.test(v));

function checkComponent(loc, component) {
	if (!isObject(component)) return [issue(loc, 'Input should be a valid dictionary', 'dict_type')];
	const problems = [];
	if (!MESSAGE.componentTypes.includes(component.type)) {
		problems.push(issue([...loc, 'type'], `Input should be ${MESSAGE.componentTypes.map((t) => `'${t}'`).join(', ')}`, 'enum'));
	}
	if (component.type === 'button') {
		if (!MESSAGE.buttonSubTypes.includes(component.sub_type)) {
			problems.push(
				issue(
					[...loc, 'sub_type'],
					`Input should be ${MESSAGE.buttonSubTypes.map((t) => `'${t}'`).join(', ')}`,
					component.sub_type === undefined ? 'missing' : 'enum',
				),
			);
		}
		if (!isButtonIndex(component.index)) {
			problems.push(
				issue([...loc, 'index'], 'Input should be a button index from 0 to 9', component.index === undefined ? 'missing' : 'value_error'),
			);
		}
	}
	if (!Array.isArray(component.parameters)) {
		problems.push(
			issue(
				[...loc, 'parameters'],
				component.parameters === undefined ? 'Field required' : 'Input should be a valid list',
				component.parameters === undefined ? 'missing' : 'list_type',
			),
		);
	} else {
		component.parameters.forEach((p, j) => problems.push(...checkParameter([...loc, 'parameters', j], p)));
	}
	return problems;
}

/** FastAPI-style problems with the shape of `components`; empty when well formed. */
function checkShape(components) {
	const loc = ['body', 'components'];
	if (!Array.isArray(components)) return [issue(loc, 'Input should be a valid list', 'list_type')];
	return components.flatMap((component, i) => checkComponent([...loc, i], component));
}

const count = (n) => `${n} parameter${n === 1 ? '' : 's'}`;
const expects = (what, want, got) => (want === got ? null : `${what} expects ${count(want)}, got ${got}`);

function checkHeader(header, given) {
	if (!header) return given ? 'This template has no header' : null;
	const params = given?.parameters ?? [];
	if (header.format === 'TEXT') return expects('Header', header.count, params.length);
	const media = header.format.toLowerCase();
	if (params.length !== 1 || params[0].type !== media) {
		return `Header expects 1 ${media} parameter with a link, got ${params.length ? params.map((p) => p.type).join(', ') : 'none'}`;
	}
	return null;
}

function checkButtons(buttons, given) {
	for (const [index, component] of given) {
		const button = buttons[index];
		if (!button) return `This template has no button at index ${index}`;
		if (button.type.toLowerCase() !== component.sub_type) {
			return `Button ${index} is a ${button.type} button, not ${component.sub_type}`;
		}
		if (button.type === 'URL' || button.type === 'COPY_CODE') {
			const problem = expects(`Button ${index} (${component.sub_type})`, button.count, component.parameters.length);
			if (problem) return problem;
		} else if (component.parameters.length > 1) {
			return `Button ${index} (${component.sub_type}) expects at most 1 parameter, got ${component.parameters.length}`;
		} else if (button.type === 'QUICK_REPLY' && component.parameters.some((p) => p.type !== 'payload')) {
			return `Button ${index} (quick_reply) takes a payload parameter, got ${component.parameters[0].type}`;
		}
	}
	const missing = buttons.findIndex((b, index) => b.count > 0 && !given.has(index));
	return missing === -1 ? null : expects(`Button ${missing} (${buttons[missing].type.toLowerCase()})`, buttons[missing].count, 0);
}

/** The first way well-formed `components` do not fit `template`, as a sentence; null when they fit. */
function checkFit(template, components) {
	const want = expectations(template);
	let header = null;
	let body = null;
	const buttons = new Map();
	for (const component of components) {
		if (component.type === 'button') {
			const index = Number(component.index);
			if (buttons.has(index)) return `Duplicate button component at index ${index}`;
			buttons.set(index, component);
		} else {
			if ((component.type === 'header' ? header : body) !== null) return `Duplicate ${component.type} component`;
			if (component.type === 'header') header = component;
			else body = component;
		}
	}
	return (
		checkHeader(want.header, header) ?? expects('Body', want.body, body?.parameters.length ?? 0) ?? checkButtons(want.buttons, buttons)
	);
}

module.exports = { checkShape, checkFit };
