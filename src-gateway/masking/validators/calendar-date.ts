/** Whether year/month/day (month 1–12) name a real day, in years a living person could be born. */
function isBirthDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1900 || year > 2099) return false;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return Number.isInteger(day) && day >= 1 && day <= days;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The month number (1–12) of an English month name or its three-letter abbreviation; 0 if none. */
function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/**
 * Whether a written date is a real day: ISO `2000-02-08`, numeric `08/02/2000` (day/month or
 * month/day, either reading will do), `8 Feb 2000` or `February 8, 2000`.
 */
export function isWrittenBirthDate(text: string): boolean {
  const numbers = text.match(/\d+/g)?.map(Number) ?? [];
  const name = /[A-Za-z]{3,}/.exec(text)?.[0];
  if (name !== undefined) {
    const month = monthNumber(name);
    const [day, year] = numbers;
    return month > 0 && day !== undefined && year !== undefined && isBirthDate(year, month, day);
  }
  const [a, b, c] = numbers;
  if (a === undefined || b === undefined || c === undefined) return false;
  if (/^\d{4}/.test(text)) return isBirthDate(a, b, c);
  return isBirthDate(c, b, a) || isBirthDate(c, a, b);
}
