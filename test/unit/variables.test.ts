import { askedSlots, buildComponents, checkComponents, templateSlots } from '../../nodes/Lynkist/helpers/variables';
import type { LynkistTemplate } from '../../nodes/Lynkist/helpers/variables';

const order: LynkistTemplate = {
	template_name: 'order_confirmation',
	language: 'en_US',
	category: 'UTILITY',
	components: [
		{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
		{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is confirmed. Total: {{3}}.' },
		{ type: 'FOOTER', text: 'Reply STOP to opt out' },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/orders/{{1}}' },
				{ type: 'QUICK_REPLY', text: 'Talk to us' },
			],
		},
	],
};
const promo: LynkistTemplate = {
	template_name: 'promo_banner',
	language: 'en_US',
	components: [
		{ type: 'HEADER', format: 'IMAGE' },
		{ type: 'BODY', text: 'Hello {{1}}' },
	],
};
const otp: LynkistTemplate = {
	template_name: 'login_code',
	language: 'en_US',
	category: 'AUTHENTICATION',
	components: [
		{ type: 'BODY', text: '{{1}} is your verification code.' },
		{
			type: 'BUTTONS',
			buttons: [{ type: 'URL', text: 'Copy code', url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}' }],
		},
	],
};
const plain: LynkistTemplate = { template_name: 'welcome_message', language: 'en', components: [{ type: 'BODY', text: 'Welcome!' }] };

it('reads placeholders as the template checks do: {{ 1 }} is not a variable', () => {
	const spaced: LynkistTemplate = { template_name: 'spaced', language: 'en', components: [{ type: 'BODY', text: 'Hi {{1}}, {{ 2 }}' }] };
	expect(templateSlots(spaced).map((s) => s.id)).toEqual(['body_1']);
});

describe('templateSlots', () => {
	it('names each variable after where it lands', () => {
		expect(templateSlots(order).map((s) => s.label)).toEqual([
			'Header {{1}}',
			'Body {{1}}',
			'Body {{2}}',
			'Body {{3}}',
			'Button 1 URL suffix',
		]);
	});

	it('asks for a media link for an image header', () => {
		expect(templateSlots(promo).map((s) => [s.id, s.kind])).toEqual([
			['header_media', 'image'],
			['body_1', 'text'],
		]);
	});

	it('asks an OTP template for the code once, filling the button with it', () => {
		expect(askedSlots(otp).map((s) => s.label)).toEqual(['One-time code (Body {{1}})']);
		expect(templateSlots(otp)).toHaveLength(2);
	});

	it('asks nothing of a template without variables', () => {
		expect(templateSlots(plain)).toEqual([]);
	});
});

describe('buildComponents', () => {
	it('builds header, body and URL button parameters in placeholder order', () => {
		const values = { header_1: 'ORD-1', body_1: 'Ada', body_2: 'ORD-1', body_3: 42, button_0_url: 'ORD-1' };
		expect(buildComponents(order, values)).toEqual({
			problems: [],
			components: [
				{ type: 'header', parameters: [{ type: 'text', text: 'ORD-1' }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Ada' },
						{ type: 'text', text: 'ORD-1' },
						{ type: 'text', text: '42' },
					],
				},
				{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'ORD-1' }] },
			],
		});
	});

	it('sends a media header as a link', () => {
		const { components } = buildComponents(promo, { header_media: 'https://cdn.example.com/a.jpg', body_1: 'Ada' });
		expect(components[0]).toEqual({ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/a.jpg' } }] });
	});

	it('copies the OTP code into the button', () => {
		const { components } = buildComponents(otp, { body_1: '123456' });
		expect(components).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: '123456' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] },
		]);
	});

	it('names every missing and every unknown variable', () => {
		const { problems } = buildComponents(order, { header_1: 'x', body_1: 'Ada', body_2: ' ', button_0_url: 'x', body_9: 'extra' });
		expect(problems).toEqual([
			'"Body {{2}}" has no value',
			'"Body {{3}}" has no value',
			expect.stringMatching(/^"body_9" is not a variable of template order_confirmation \(en_US\); it has Header \{\{1\}\}, Body/),
		]);
	});
});

describe('checkComponents', () => {
	it('accepts components that fit', () => {
		expect(checkComponents(plain, [])).toEqual([]);
		expect(
			checkComponents(promo, [
				{ type: 'header', parameters: [{ type: 'image', image: { link: 'x' } }] },
				{ type: 'body', parameters: [{ type: 'text', text: 'a' }] },
			]),
		).toEqual([]);
	});

	it('says which component has the wrong count', () => {
		expect(checkComponents(order, [{ type: 'body', parameters: [{ type: 'text', text: 'a' }] }])).toEqual([
			'header needs 1 parameter, got 0',
			'body needs 3 parameters, got 1',
			'button 0 needs 1 parameter, got 0',
		]);
		expect(checkComponents(plain, [{ type: 'body', parameters: [{ type: 'text', text: 'a' }] }])).toEqual([
			'template welcome_message (en) has no variables in body',
		]);
	});

	it('refuses what is not a components array', () => {
		expect(checkComponents(plain, { type: 'body' })[0]).toMatch(/must be a JSON array/);
		expect(checkComponents(plain, [{ type: 'footer', parameters: [] }])).toEqual(['component 0: "type" must be header, body or button']);
	});
});
