jest.setTimeout(300_000); // a real n8n takes seconds to start and execute
