import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import { found } from './detector-findings.js';

describe('ipv4', () => {
  it.each([
    ['from 10.0.0.1:8080', ['10.0.0.1']],
    ['client=203.0.113.7 ok', ['203.0.113.7']],
    ['http://192.168.1.20/admin', ['192.168.1.20']],
    ['gateway 172.16.0.1.', ['172.16.0.1']],
    ['route 10.0.0.0/24', ['10.0.0.0']],
    ['255.255.255.255 and 0.0.0.0', ['255.255.255.255', '0.0.0.0']],
  ])('finds the address in %j', (text, expected) => {
    expect(found('ipv4', text)).toEqual(expected);
  });

  // A four-part version like 1.2.3.4 IS a valid IPv4 address; only the text around it tells them apart.
  it.each([
    ['v1.2.3.4', 'a v in front'],
    ['version 1.2.3.4', 'a version word in front'],
    ['firmware version 10.2.3.4 loaded', 'a version word in front'],
    ['APP_VERSION=1.2.3.4', 'a version variable'],
    ['"Version": "1.2.3.4"', 'a version key in JSON text'],
    ['appVersion: 1.2.3.4', 'a camelCase version key'],
    ['build 7.0.12.201', 'a build word in front'],
    ['Chrome/120.0.0.0 Safari/537.36', 'a user-agent product token'],
    ['1.3.6.1.4.1.311.21.2', 'an OID'],
    ['1.2.3.4.5', 'five parts'],
    ['256.1.1.1', 'an octet over 255'],
    ['10.01.0.1', 'a leading zero'],
    ['2024.05.12.1', 'a dotted date'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('ipv4', text)).toEqual([]);
  });

  it('leaves a string under a version key alone, and masks the same string under another key', () => {
    const { value } = createMasker({ detectors: ['ipv4'] }).maskValue({ version: '1.2.3.4', appVersion: '1.2.3.4', host: '1.2.3.4' });
    expect(value).toEqual({ version: '1.2.3.4', appVersion: '1.2.3.4', host: '[IPV4]' });
  });
});

describe('ipv6', () => {
  it.each([
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', ['2001:0db8:85a3:0000:0000:8a2e:0370:7334']],
    ['peer 2001:db8::1 up', ['2001:db8::1']],
    ['fe80::1ff:fe23:4567:890a%eth0', ['fe80::1ff:fe23:4567:890a']],
    ['::1', ['::1']],
    ['[2606:4700:4700::1111]:443', ['2606:4700:4700::1111']],
    ['::ffff:192.0.2.128', ['::ffff:192.0.2.128']],
    ['2001:DB8:0:0:8:800:200C:417A.', ['2001:DB8:0:0:8:800:200C:417A']],
  ])('finds the address in %j', (text, expected) => {
    expect(found('ipv6', text)).toEqual(expected);
  });

  it.each([
    ['12:30:45', 'a time'],
    ['2024-05-12T12:30:07.123+02:00', 'a timestamp'],
    ['00:1A:2B:3C:4D:5E', 'a MAC address'],
    ['std::vector', 'C++'],
    ['a::b', 'too little to be an address'],
    ['1:2:3', 'too few groups'],
    ['2001:db8::1::2', 'two ::'],
    ['12345::1', 'a group over four digits'],
    ['ghij::1', 'not hex'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('ipv6', text)).toEqual([]);
  });
});
