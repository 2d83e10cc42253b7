/**
 * Whether `NNN-NN-NNNN` could be an issued US Social Security number: the SSA never issues area 000,
 * 666 or 900–999, group 00 or serial 0000.
 */
export function isIssuableSsn(value: string): boolean {
  const [area, group, serial] = value.split('-');
  if (area === undefined || group === undefined || serial === undefined) return false;
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}
