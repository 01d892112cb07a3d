import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UserError} from '../../source/errors.js';
import {checkServeFlags} from '../../source/serve/serve-library.js';

const flags = {bind: '127.0.0.1', port: 8080};

test('serve\'s flags: a bad port, base URL or proxy address is one line for the user', () => {
	for (const [given, message] of [
		[{port: 70_000}, /--port takes a port number from 0 to 65535, not 70000/],
		[{port: 1.5}, /--port takes a port number/],
		[{bind: ' '}, /--bind takes the address to listen on/],
		[{baseUrl: 'photos.example.org'}, /--base-url must be a URL such as https:/],
		[{baseUrl: 'ftp://photos.example.org'}, /--base-url must be an http or https URL/],
		[{trustProxy: 'my-proxy'}, /--trust-proxy takes the proxy's IP address \(e\.g\. 127\.0\.0\.1\), not "my-proxy"/],
	] as const) {
		assert.throws(() => checkServeFlags({...flags, ...given}), (error: Error) => error instanceof UserError && message.test(error.message), JSON.stringify(given));
	}
});

test('serve\'s flags: the base URL loses its trailing slash, proxies may be several, IPv4-mapped addresses are plain', () => {
	assert.deepEqual(checkServeFlags({...flags, port: 0, baseUrl: 'https://photos.example.org/', trustProxy: '::ffff:10.0.0.2, ::1'}), {
		bind: '127.0.0.1',
		port: 0,
		baseUrl: 'https://photos.example.org',
		trustedProxies: ['10.0.0.2', '::1'],
	});
});
