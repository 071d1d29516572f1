/** Three suites: pure units, the sandbox's own contract tests, and real n8n end to end. */
const ts = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };
const common = { modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.e2e/', '<rootDir>/.dev/'] };

module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], transform: ts },
		{ ...common, displayName: 'sandbox', testMatch: ['<rootDir>/test/sandbox/**/*.test.js'] },
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			transform: ts,
			globalSetup: '<rootDir>/test/e2e/harness/globalSetup.js',
			setupFilesAfterEnv: ['<rootDir>/test/e2e/harness/timeout.js'],
		},
	],
};
