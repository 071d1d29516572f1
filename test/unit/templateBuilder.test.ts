import type { BuilderInput } from '../../nodes/Lynkist/helpers/templateBuilder';
import { buildComponents } from '../../nodes/Lynkist/helpers/templateBuilder';
import { checkTemplate } from '../../nodes/Lynkist/helpers/templateChecks';

const input = (overrides: Partial<BuilderInput> = {}): BuilderInput => ({
	headerType: 'none',
	bodyText: 'Hi {{1}}, your order {{2}} has shipped.',
	bodyExamples: ['Ana', '1042'],
	buttons: [],
	...overrides,
});

const fields = { name: 'order_update', language: 'en_US', category: 'UTILITY' };
const problemsOf = (overrides: Partial<BuilderInput> = {}, more: Partial<typeof fields> = {}) =>
	checkTemplate({ ...fields, ...more, components: buildComponents(input(overrides)) });

describe('buildComponents', () => {
	it("builds every component in Meta's shape with its examples", () => {
		const components = buildComponents(
			input({
				headerType: 'text',
				headerText: 'Order {{1}}',
				headerExample: '#1042',
				footerText: 'Reply STOP to opt out',
				buttons: [
					{ type: 'url', text: 'Track', url: 'https://shop.example.com/orders/{{1}}', urlSuffixExample: '1042' },
					{ type: 'phoneNumber', text: 'Call us', phoneNumber: '+15551234567' },
					{ type: 'quickReply', text: 'Thanks' },
				],
			}),
		);
		expect(components).toEqual([
			{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1042'] } },
			{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.', example: { body_text: [['Ana', '1042']] } },
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'URL', text: 'Track', url: 'https://shop.example.com/orders/{{1}}', example: ['https://shop.example.com/orders/1042'] },
					{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15551234567' },
					{ type: 'QUICK_REPLY', text: 'Thanks' },
				],
			},
		]);
		expect(checkTemplate({ ...fields, components })).toEqual([]);
	});

	it('builds a media header with its sample link, and leaves out what is empty', () => {
		const components = buildComponents(
			input({ headerType: 'image', headerExample: 'https://example.com/a.jpg', bodyText: 'Hello', bodyExamples: [] }),
		);
		expect(components).toEqual([
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://example.com/a.jpg'] } },
			{ type: 'BODY', text: 'Hello' },
		]);
	});
});

describe('checkTemplate names the problem and its fix', () => {
	it.each([
		['an empty name', {}, { name: '' }, /^Name: required/],
		[
			'a name with capitals and spaces',
			{},
			{ name: 'Order Update' },
			/Name: "Order Update" may contain only lowercase letters, digits and underscores — e.g. order_update/,
		],
		['a name longer than 255', {}, { name: 'a'.repeat(256) }, /Name: 256 characters, at most 255/],
		[
			'a language that is no locale code',
			{},
			{ language: 'english (us)' },
			/Language: "english \(us\)" is not a WhatsApp locale code — pick one from the list or type a code like en_US/,
		],
		['a locale written with a hyphen', {}, { language: 'pt-BR' }, /Language: "pt-BR" is not a WhatsApp locale code — .* like pt_BR/],
		['an unknown category', {}, { category: 'PROMO' }, /Category: must be one of MARKETING, UTILITY, AUTHENTICATION/],
		['an empty body', { bodyText: '', bodyExamples: [] }, {}, /Body: the text is empty/],
		[
			'a body over 1024 characters',
			{ bodyText: 'x'.repeat(1025), bodyExamples: [] },
			{},
			/Body: the text has 1025 characters, at most 1024/,
		],
		[
			'a gap in the numbering',
			{ bodyText: 'Hi {{1}} and {{3}}' },
			{},
			/Body: placeholders must be numbered from \{\{1\}\} without gaps, found \{\{1\}\}, \{\{3\}\}/,
		],
		['numbering that starts at 2', { bodyText: 'Hi {{2}}', bodyExamples: ['Ana'] }, {}, /numbered from \{\{1\}\}/],
		['a named placeholder', { bodyText: 'Hi {{name}}', bodyExamples: [] }, {}, /Body: \{\{name\}\} is not a placeholder/],
		[
			'a missing body example',
			{ bodyExamples: ['Ana'] },
			{},
			/Body: 2 placeholder\(s\) need 2 example value\(s\).*but 1 was given — add them \(Body Examples/,
		],
		['a blank body example', { bodyExamples: ['Ana', ' '] }, {}, /Body: 2 placeholder\(s\) need 2 example value\(s\)/],
		[
			'examples without placeholders',
			{ bodyText: 'Hello', bodyExamples: ['Ana'] },
			{},
			/Body: example values were given but the text has no placeholders/,
		],
		[
			'a header with two placeholders',
			{ headerType: 'text', headerText: '{{1}} {{2}}', headerExample: 'a' },
			{},
			/Header: at most 1 placeholder/,
		],
		[
			'a header placeholder without example',
			{ headerType: 'text', headerText: 'Order {{1}}' },
			{},
			/Header: 1 placeholder\(s\) need 1 example/,
		],
		[
			'a header over 60 characters',
			{ headerType: 'text', headerText: 'x'.repeat(61) },
			{},
			/Header: the text has 61 characters, at most 60/,
		],
		[
			'a media header without sample',
			{ headerType: 'video' },
			{},
			/Header: the VIDEO header needs a sample video for Meta's reviewers — give it from binary data or a link/,
		],
		['a footer with a placeholder', { footerText: 'Bye {{1}}' }, {}, /Footer: placeholders are not allowed here/],
		['a button without label', { buttons: [{ type: 'quickReply', text: '' }] }, {}, /Button 1 \(QUICK_REPLY\) label: the text is empty/],
		[
			'a button label over 25 characters',
			{ buttons: [{ type: 'quickReply', text: 'x'.repeat(26) }] },
			{},
			/Button 1 \(QUICK_REPLY\) label: the text has 26 characters, at most 25/,
		],
		[
			'a URL that is no web address',
			{ buttons: [{ type: 'url', text: 'Go', url: 'shop.example.com' }] },
			{},
			/Button 1 \(URL\): the URL must be a web address starting with https:\/\//,
		],
		[
			'a URL placeholder in the middle',
			{ buttons: [{ type: 'url', text: 'Go', url: 'https://x.example/{{1}}/view', urlSuffixExample: 'a' }] },
			{},
			/the dynamic part \{\{1\}\} must be at the very end/,
		],
		[
			'a dynamic URL without example',
			{ buttons: [{ type: 'url', text: 'Go', url: 'https://x.example/{{1}}' }] },
			{},
			/Button 1 \(URL\) URL: 1 placeholder\(s\) need 1 example.*URL Example Suffix/,
		],
		[
			'a phone number not in international format',
			{ buttons: [{ type: 'phoneNumber', text: 'Call', phoneNumber: '555-1234' }] },
			{},
			/Button 1 \(PHONE_NUMBER\): the phone number must be in international format/,
		],
		[
			'more than 10 buttons',
			{ buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'quickReply' as const, text: `R${i}` })) },
			{},
			/Buttons: 11 buttons, at most 10/,
		],
		[
			'three URL buttons',
			{ buttons: [1, 2, 3].map((i) => ({ type: 'url' as const, text: `U${i}`, url: 'https://x.example' })) },
			{},
			/Buttons: 3 URL buttons, at most 2 allowed — remove 1/,
		],
		[
			'two phone buttons',
			{ buttons: [1, 2].map((i) => ({ type: 'phoneNumber' as const, text: `P${i}`, phoneNumber: '+15551234567' })) },
			{},
			/Buttons: 2 PHONE_NUMBER buttons, at most 1/,
		],
		[
			'quick replies split by another button',
			{
				buttons: [
					{ type: 'quickReply', text: 'A' },
					{ type: 'url', text: 'Go', url: 'https://x.example' },
					{ type: 'quickReply', text: 'B' },
				],
			},
			{},
			/QUICK_REPLY buttons must be next to each other/,
		],
		[
			'a one-time-password button outside AUTHENTICATION',
			{ buttons: [{ type: 'copyCode', text: 'Copy code' }] },
			{},
			/the one-time-password Copy Code button \(OTP\) is for AUTHENTICATION templates/,
		],
		[
			'an offer code button outside MARKETING',
			{ buttons: [{ type: 'couponCode', couponExample: 'SUMMER20' }] },
			{},
			/the Copy Offer Code button \(COPY_CODE\) is for MARKETING templates/,
		],
		[
			'an offer code button without its example',
			{ buttons: [{ type: 'couponCode' }] },
			{ category: 'MARKETING' },
			/the offer code needs an example of 1 to 15 characters/,
		],
		[
			'an offer code over 15 characters',
			{ buttons: [{ type: 'couponCode', couponExample: 'A'.repeat(16) }] },
			{ category: 'MARKETING' },
			/the offer code needs an example of 1 to 15 characters/,
		],
		[
			'a phone button without a country code',
			{ buttons: [{ type: 'phoneNumber', text: 'Call', phoneNumber: '555 0100' }] },
			{},
			/the phone number must be in international format/,
		],
	] as Array<[string, Partial<BuilderInput>, Partial<typeof fields>, RegExp]>)('%s', (_, overrides, more, expected) => {
		const problems = problemsOf(overrides, more);
		expect(problems.some((p) => expected.test(p))).toBe(true);
	});
});

describe('AUTHENTICATION templates', () => {
	const auth = { category: 'AUTHENTICATION' };
	const code = { bodyText: '{{1}} is your verification code.', bodyExamples: ['123456'] };

	it("take a body with {{1}} and exactly one copy code button, created as Meta's OTP button", () => {
		expect(problemsOf({ ...code, buttons: [{ type: 'copyCode', text: 'Copy code' }] }, auth)).toEqual([]);
		expect(buildComponents(input({ ...code, buttons: [{ type: 'copyCode' }] })).at(-1)).toEqual({
			type: 'BUTTONS',
			buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }],
		});
	});

	it('need the copy code button', () => {
		expect(problemsOf(code, auth)).toEqual(['Buttons: an AUTHENTICATION template needs the one-time-password Copy Code button — add it']);
	});

	it("refuse in JSON an OTP button of a kind this package does not create, and Meta's coupon button", () => {
		const components = (button: Record<string, unknown>) => [
			{ type: 'BODY', text: '{{1}} is your code.', example: { body_text: [['1']] } },
			{ type: 'BUTTONS', buttons: [button] },
		];
		const check = (button: Record<string, unknown>) =>
			checkTemplate({ name: 'login_code', language: 'en_US', category: 'AUTHENTICATION', components: components(button) });
		expect(check({ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' })).toEqual([]);
		expect(check({ type: 'OTP', otp_type: 'ONE_TAP', text: 'Autofill' })).toEqual([
			'Button 1 (OTP): otp_type must be COPY_CODE, got "ONE_TAP"',
		]);
		expect(check({ type: 'COPY_CODE', example: 'X' })).toEqual(
			expect.arrayContaining([expect.stringMatching(/exactly one button, the one-time-password Copy Code button/)]),
		);
	});

	it('take no other button and no header', () => {
		const problems = problemsOf(
			{
				...code,
				headerType: 'text',
				headerText: 'Code',
				buttons: [
					{ type: 'copyCode', text: 'Copy' },
					{ type: 'quickReply', text: 'No' },
				],
			},
			auth,
		);
		expect(problems).toEqual([
			'Header: AUTHENTICATION templates cannot have a header — set Header to None',
			'Buttons: an AUTHENTICATION template has exactly one button, the one-time-password Copy Code button (OTP), and no other',
		]);
	});

	it('have exactly one body placeholder, the code', () => {
		expect(problemsOf({ bodyText: 'Your code', bodyExamples: [], buttons: [{ type: 'copyCode', text: 'Copy' }] }, auth)).toEqual([
			expect.stringMatching(/^Body: an AUTHENTICATION template has exactly one placeholder, \{\{1\}\}/),
		]);
	});
});

describe('raw components (JSON mode)', () => {
	const check = (components: unknown) => checkTemplate({ ...fields, components });

	it('must be an array', () => {
		expect(check({ type: 'BODY' })).toEqual([expect.stringMatching(/^Components: must be a JSON array/)]);
	});

	it('need a body, one of each component, and known types', () => {
		expect(check([{ type: 'FOOTER', text: 'a' }, { type: 'FOOTER', text: 'b' }, { type: 'CAROUSEL' }])).toEqual([
			'Component 3: the type must be one of HEADER, BODY, FOOTER, BUTTONS, got "CAROUSEL"',
			'Components: a BODY component is required',
			'Components: 2 FOOTER components, only one is allowed',
		]);
	});

	it("are checked like the builder's, examples included", () => {
		expect(check([{ type: 'BODY', text: 'Hi {{1}}' }])).toEqual([
			expect.stringMatching(/Body: 1 placeholder\(s\) need 1 example.*example\.body_text/),
		]);
		expect(check([{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Ana']] } }])).toEqual([]);
	});

	it('name an unknown button type and an unknown header format', () => {
		expect(
			check([
				{ type: 'HEADER', format: 'AUDIO' },
				{ type: 'BODY', text: 'Hi' },
				{ type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go' }] },
			]),
		).toEqual([
			'Header: the format must be one of TEXT, IMAGE, VIDEO, DOCUMENT, got "AUDIO"',
			'Button 1: the type must be one of QUICK_REPLY, URL, PHONE_NUMBER, OTP, COPY_CODE, got "FLOW"',
		]);
	});

	it('need at least one button in a BUTTONS component', () => {
		expect(
			check([
				{ type: 'BODY', text: 'Hi' },
				{ type: 'BUTTONS', buttons: [] },
			]),
		).toEqual(['Buttons: add at least one button, or leave buttons out']);
	});
});

describe('Copy Offer Code (MARKETING)', () => {
	it("is created as Meta's COPY_CODE button with its example", () => {
		const buttons = [{ type: 'couponCode' as const, couponExample: ' SUMMER20 ' }];
		expect(problemsOf({ buttons }, { category: 'MARKETING' })).toEqual([]);
		expect(buildComponents(input({ buttons })).at(-1)).toEqual({ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'SUMMER20' }] });
	});
});

it('a phone button takes the number as people write it, and sends it as E.164', () => {
	const buttons = [{ type: 'phoneNumber' as const, text: 'Call us', phoneNumber: '+1-555-010-0100' }];
	expect(problemsOf({ buttons })).toEqual([]);
	expect(buildComponents(input({ buttons })).at(-1)).toEqual({
		type: 'BUTTONS',
		buttons: [{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550100100' }],
	});
});
