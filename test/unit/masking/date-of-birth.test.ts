import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import { found } from './detector-findings.js';

describe('date-of-birth', () => {
  it.each([
    ['DOB: 1985-03-12', ['1985-03-12']],
    ['d.o.b. 08/02/2000', ['08/02/2000']],
    ['Date of birth: 8 Feb 2000', ['8 Feb 2000']],
    ['born on February 8, 2000 in Leeds', ['February 8, 2000']],
    ['Birthdate 12/31/1999', ['12/31/1999']],
    ['"date_of_birth": "1985-03-12"', ['1985-03-12']],
    ['"birthDate":"1970-01-01"', ['1970-01-01']],
    ['UPDATE customers SET dob = \'1990-07-04\'', ['1990-07-04']],
    ['Verified with DOB 3rd March 1961 and SSN', ['3rd March 1961']],
    ['born in Leeds, raised in York; moved south 1 May 1990', ['1 May 1990']],
  ])('finds the birth date in %j', (text, expected) => {
    expect(found('date-of-birth', text)).toEqual(expected);
  });

  it.each([
    ['ordered 2024-01-01, delivered 2024-01-03', 'no birth keyword'],
    ['DOB: not given; the quarterly account review is scheduled on 2024-05-01', 'the date is over 40 characters away'],
    ['DOB: 1985-02-30', 'no such day'],
    ['DOB: 1985-13-01', 'no such month'],
    ['DOB: 1885-03-12', 'too long ago'],
    ['Osborne 2024-01-01', '"born" inside a word'],
    ['dob 19850312', 'no date format'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('date-of-birth', text)).toEqual([]);
  });

  it('masks a date under a birth-date key of structured content, where no keyword is in the text', () => {
    const { value, findings } = createMasker({ detectors: ['date-of-birth'] }).maskValue({
      dob: '1985-03-12',
      dateOfBirth: '12/03/1985',
      customer_date_of_birth: '8 Feb 2000',
      signup: '2024-01-01',
    });
    expect(value).toEqual({ dob: '[DOB]', dateOfBirth: '[DOB]', customer_date_of_birth: '[DOB]', signup: '2024-01-01' });
    expect(findings.map((f) => f.pointer)).toEqual(['/dob', '/dateOfBirth', '/customer_date_of_birth']);
  });
});
