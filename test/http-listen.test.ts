import { describe, expect, it } from 'vitest';
import { isLoopback, parseListen } from '../src/daemon/http/server.js';

describe('which http.listen addresses are loopback (others need http.allow-public true)', () => {
  it.each([
    ['127.0.0.1:8765', true], [':8765', true], ['localhost:80', true], ['127.1.2.3:0', true], ['[::1]:8765', true],
    ['0.0.0.0:8765', false], ['[::]:8765', false], ['192.168.1.10:8765', false], ['crm.acme.example:80', false], ['[::ffff:10.0.0.1]:80', false],
  ] as const)('%s → %s', (listen, loopback) => {
    expect(isLoopback(parseListen(listen)!.host)).toBe(loopback);
  });
});
