import { z } from 'zod';
import { cardNumber, iban } from './payment-numbers.js';
import { digits, int, pad, pick, seededRandom, type Random } from './seeded-random.js';

export const CustomerSchema = z.object({
  id: z.string(),
  full_name: z.string(),
  email: z.string(),
  phone: z.string(),
  date_of_birth: z.string().describe('YYYY-MM-DD'),
  address: z.string(),
  country: z.enum(['GB', 'US', 'DE', 'FR']),
  company: z.string(),
  card_brand: z.enum(['visa', 'mastercard', 'amex']),
  card_number: z.string(),
  iban: z.string().nullable().describe('null for customers who pay by card only'),
  status: z.enum(['active', 'pending_review', 'suspended', 'closed']),
  notes: z.string(),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const OrderSchema = z.object({
  order_number: z.string(),
  customer_id: z.string(),
  amount: z.number(),
  currency: z.enum(['GBP', 'USD', 'EUR']),
  ordered_at: z.string().describe('YYYY-MM-DD'),
  status: z.enum(['paid', 'shipped', 'delivered', 'refunded']),
});
export type Order = z.infer<typeof OrderSchema>;

/** The whole back office: customers and their orders. */
export interface DemoData {
  customers: Customer[];
  orders: Order[];
}

/** The seed behind the back office every demo server starts with. */
export const DEMO_SEED = 20240917;


/** "Zoë O'Brien" → "zoeobrien": what mail systems actually accept in a local part. */
const ascii = (text: string): string =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();

type Country = Customer['country'];

interface City {
  name: string;
  postcode: (r: Random) => string;
  landline: (r: Random, international: boolean) => string;
}

interface Locale {
  country: Country;
  currency: Order['currency'];
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
  companies: readonly string[];
  cities: readonly City[];
  houseNumbers: readonly [number, number];
  mobile?: (r: Random, international: boolean) => string;
  address: (houseNumber: number, street: string, city: string, postcode: string) => string;
}

/**
 * Phone numbers come only from the ranges regulators reserve for fiction (Ofcom's 020 7946 0xxx and
 * 07700 900xxx, NANP 555-01xx, the Bundesnetzagentur's drama numbers, ARCEP's 01 99 00), so a demo
 * never rings a real person.
 */
function dramaNumber(callingCode: string, trunk: string, prefix: string, tail: (r: Random) => string) {
  return (r: Random, international: boolean): string =>
    international ? `+${callingCode} ${trunk.slice(1)} ${prefix}${tail(r)}` : `${trunk} ${prefix}${tail(r)}`;
}

function usLandline(area: string) {
  return (r: Random, international: boolean): string => {
    const line = `01${digits(r, 2)}`;
    if (international) return `+1 ${area} 555 ${line}`;
    return r() < 0.5 ? `(${area}) 555-${line}` : `${area}-555-${line}`;
  };
}

function city(name: string, postcode: City['postcode'], landline: City['landline']): City {
  return { name, postcode, landline };
}

const GB_POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const gbPostcode = (outward: readonly string[]) => (r: Random) =>
  `${pick(r, outward)} ${int(r, 1, 9)}${pick(r, [...GB_POSTCODE_LETTERS])}${pick(r, [...GB_POSTCODE_LETTERS])}`;
const inRange = (min: number, max: number) => (r: Random) => pad(int(r, min, max), 5);
const threeDigits = (r: Random) => digits(r, 3);
const frenchTail = (r: Random) => `${digits(r, 2)} ${digits(r, 2)}`;

const ENGLISH_FIRST = ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Jack', 'Grace', 'Emily',
  'James', 'Sophie', 'Liam', 'Chloe', 'Ethan', 'Priya', 'Aisha', 'Mohammed', 'Wei', 'Siobhan', 'Connor', 'Zoë'];
const ENGLISH_LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Davies', 'Patel', 'Khan', 'Walker',
  'Wright', 'Thompson', 'Evans', "O'Connor", 'Nguyen', 'Garcia', 'Chen', 'Kowalski', 'Hughes', 'Murphy', 'Okafor'];

const LOCALES: readonly Locale[] = [
  {
    country: 'GB',
    currency: 'GBP',
    firstNames: ENGLISH_FIRST,
    lastNames: ENGLISH_LAST,
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Albert Terrace'],
    companies: ['Brightwater Logistics Ltd', 'Halden & Crane LLP', 'Kestrel Analytics Ltd', 'Harbourside Foods plc',
      'Oakline Interiors Ltd', 'Thistle Print Co.'],
    cities: [
      city('London', gbPostcode(['EC1V', 'N1', 'SE1', 'W2', 'NW1', 'E2']), dramaNumber('44', '020', '7946 0', threeDigits)),
      city('Manchester', gbPostcode(['M1', 'M4', 'M20']), dramaNumber('44', '0161', '496 0', threeDigits)),
      city('Bristol', gbPostcode(['BS1', 'BS6', 'BS8']), dramaNumber('44', '0117', '496 0', threeDigits)),
      city('Leeds', gbPostcode(['LS1', 'LS6', 'LS11']), dramaNumber('44', '0113', '496 0', threeDigits)),
    ],
    houseNumbers: [1, 180],
    mobile: dramaNumber('44', '07700', '900', threeDigits),
    address: (n, street, city, postcode) => `${n} ${street}, ${city} ${postcode}`,
  },
  {
    country: 'US',
    currency: 'USD',
    firstNames: ENGLISH_FIRST,
    lastNames: ENGLISH_LAST,
    streets: ['Market Street', 'Oak Avenue', 'Maple Drive', 'Lakeview Drive', 'Cedar Lane', 'Washington Avenue'],
    companies: ['Summit Ridge Capital LLC', 'Pinecrest Dental Group', 'Tandem Bikes Inc.', 'Redwood Ledger Corp.'],
    cities: [
      city('San Francisco', (r) => `CA 941${digits(r, 2)}`, usLandline('415')),
      city('New York', (r) => `NY 100${digits(r, 2)}`, usLandline('212')),
      city('Austin', (r) => `TX 787${digits(r, 2)}`, usLandline('512')),
      city('Chicago', (r) => `IL 606${digits(r, 2)}`, usLandline('312')),
    ],
    houseNumbers: [100, 4999],
    address: (n, street, city, postcode) => `${n} ${street}, ${city}, ${postcode}`,
  },
  {
    country: 'DE',
    currency: 'EUR',
    firstNames: ['Lukas', 'Anna', 'Felix', 'Lea', 'Jonas', 'Marie', 'Maximilian', 'Paul', 'Emma', 'Jürgen', 'Sabine'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schäfer', 'Krüger'],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Schillerstraße', 'Lindenallee', 'Goethestraße'],
    companies: ['Alder Fracht GmbH', 'Nordlicht Medien GmbH', 'Brunnmeier Maschinenbau AG', 'Kiefer & Sohn KG'],
    cities: [
      city('Berlin', inRange(10115, 14199), dramaNumber('49', '030', '23125 ', threeDigits)),
      city('Frankfurt am Main', inRange(60306, 60599), dramaNumber('49', '069', '90009 ', threeDigits)),
      city('Hamburg', inRange(20095, 22769), dramaNumber('49', '040', '66969 ', threeDigits)),
      city('Köln', inRange(50667, 51149), dramaNumber('49', '0221', '4710 ', threeDigits)),
      city('München', inRange(80331, 81929), dramaNumber('49', '089', '99998 ', threeDigits)),
    ],
    houseNumbers: [1, 120],
    address: (n, street, city, postcode) => `${street} ${n}, ${postcode} ${city}`,
  },
  {
    country: 'FR',
    currency: 'EUR',
    firstNames: ['Louis', 'Camille', 'Jules', 'Léa', 'Hugo', 'Chloé', 'Gabriel', 'Manon', 'Inès', 'Raphaël', 'Élodie'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Girard'],
    streets: ['rue de la République', 'avenue Victor Hugo', 'rue Pasteur', 'boulevard Voltaire', 'rue des Lilas'],
    companies: ['Atelier Rivière SARL', 'Boulangerie Lemoine SAS', 'Cabinet Morel Conseil', 'Vignobles Castel SA'],
    cities: [city('Paris', (r) => `750${pad(int(r, 1, 20), 2)}`, dramaNumber('33', '01', '99 00 ', frenchTail))],
    houseNumbers: [1, 90],
    mobile: dramaNumber('33', '06', '39 98 ', frenchTail),
    address: (n, street, city, postcode) => `${n} ${street}, ${postcode} ${city}`,
  },
];


function dateOfBirth(r: Random): string {
  const year = int(r, 1950, 2004);
  const month = int(r, 1, 12);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month, 2)}-${pad(int(r, 1, daysInMonth), 2)}`;
}

const DAY_MS = 86_400_000;
const FIRST_ORDER_DAY = Date.UTC(2023, 0, 1);
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface NoteFacts {
  customer: Customer;
  firstName: string;
  altEmail: string;
  altPhone: string;
  colleague: { name: string; email: string };
  order: Order | undefined;
}

/** Free-text notes as support staff write them: contact details in prose, not in fields. */
const NOTE_TEMPLATES: readonly ((f: NoteFacts) => string)[] = [
  (f) => `Asked us to send invoices to ${f.altEmail} instead of the address on file.`,
  (f) => `Called from ${f.altPhone} about a late delivery; says that is the best number on weekdays.`,
  (f) => `Prefers phone over email. Ring ${f.firstName} on ${f.customer.phone} after 5pm.`,
  (f) => `Accounts payable contact is ${f.colleague.name} (${f.colleague.email}); copy them on billing questions.`,
  (f) => `Requested a copy of their personal data under GDPR; export sent to ${f.customer.email}.`,
  (f) => `Card ending ${f.customer.card_number.slice(-4)} declined twice; customer updated billing details by phone.`,
  (f) => f.order
    ? `Disputed ${f.order.order_number} (${f.order.currency} ${f.order.amount.toFixed(2)}); refund approved.`
    : 'Signed up after a trade fair; has not ordered yet.',
  () => 'No complaints on file.',
  () => 'Flagged by fraud review after several orders from a new device; cleared after an ID check.',
];

const STATUS_WEIGHTS = ['active', 'active', 'active', 'active', 'active', 'active', 'pending_review', 'suspended',
  'closed'] as const;

const STATUS_NOTES: Partial<Record<Customer['status'], string>> = {
  suspended: 'Account suspended until the overdue balance is settled.',
  closed: 'Account closed at the customer’s request.',
  pending_review: 'New account waiting for KYC review.',
};

/** Numbers follow the order date, with gaps where other shops' orders would sit, as in a real ledger. */
function numberOrders(r: Random, unnumbered: Omit<Order, 'order_number'>[]): Order[] {
  const sequenceByYear = new Map<string, number>();
  return unnumbered
    .sort((a, b) => a.ordered_at.localeCompare(b.ordered_at))
    .map((order) => {
      const year = order.ordered_at.slice(0, 4);
      const sequence = (sequenceByYear.get(year) ?? 100) + int(r, 1, 7);
      sequenceByYear.set(year, sequence);
      return { order_number: `ORD-${year}-${pad(sequence, 6)}`, ...order };
    });
}

/**
 * Generates the demo back office: `count` customers across GB, US, DE and FR with orders from 2023–2024.
 * The same seed always yields the same records, so tests and screenshots can name them.
 */
export function generateDemoData(seed: number = DEMO_SEED, count = 50): DemoData {
  const r = seededRandom(seed);
  const usedEmails = new Set<string>();
  const customers: Customer[] = [];
  const drafts: { customer: Customer; locale: Locale; first: string; last: string; workDomain: string }[] = [];

  const uniqueEmail = (local: string, domain: string): string => {
    let candidate = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(candidate); n++) candidate = `${local}${n}@${domain}`;
    usedEmails.add(candidate);
    return candidate;
  };

  for (let i = 0; i < count; i++) {
    const locale = LOCALES[pick(r, [0, 0, 0, 1, 1, 2, 2, 3])];
    const first = pick(r, locale.firstNames);
    const last = pick(r, locale.lastNames);
    const city = pick(r, locale.cities);
    const company = pick(r, locale.companies);
    const workDomain = `${ascii(company.split(' ')[0])}.example`;
    const personal = r() < 0.6;
    const domain = personal ? pick(r, ['example.com', 'example.net', 'example.org']) : workDomain;
    const [given, family] = [ascii(first), ascii(last)];
    const local = pick(r, [`${given}.${family}`, `${given[0]}${family}`, `${given}${int(r, 70, 99)}`]);
    const international = r() < 0.4;
    const phone = locale.mobile && r() < 0.4 ? locale.mobile(r, international) : city.landline(r, international);
    const brand = pick(r, ['visa', 'visa', 'visa', 'mastercard', 'mastercard', 'amex'] as const);
    const ibanCountry = locale.country === 'US' ? null : r() < 0.2 ? 'NL' : locale.country;
    customers.push({
      id: `cus_${pad(i + 1, 4)}`,
      full_name: `${first} ${last}`,
      email: uniqueEmail(local, domain),
      phone,
      date_of_birth: dateOfBirth(r),
      address: locale.address(int(r, ...locale.houseNumbers), pick(r, locale.streets), city.name, city.postcode(r)),
      country: locale.country,
      company,
      card_brand: brand,
      card_number: cardNumber(r, brand),
      iban: ibanCountry ? iban(r, ibanCountry) : null,
      status: pick(r, STATUS_WEIGHTS),
      notes: '',
    });
    drafts.push({ customer: customers[i], locale, first, last, workDomain });
  }

  const orders = numberOrders(
    r,
    drafts.flatMap(({ customer, locale }) =>
      Array.from({ length: int(r, 0, 5) }, () => ({
        customer_id: customer.id,
        amount: int(r, 999, 249_999) / 100,
        currency: locale.currency,
        ordered_at: isoDay(FIRST_ORDER_DAY + int(r, 0, 730) * DAY_MS),
        status: pick(r, ['paid', 'shipped', 'delivered', 'delivered', 'delivered', 'refunded'] as const),
      })),
    ),
  );

  // Notes come last because some of them cite an order number.
  for (const { customer, locale, first, last, workDomain } of drafts) {
    const colleagueFirst = pick(r, locale.firstNames);
    const colleagueLast = pick(r, locale.lastNames);
    const facts: NoteFacts = {
      customer,
      firstName: first,
      altEmail: uniqueEmail(`${ascii(first)}.${ascii(last)}`, 'mail.example'),
      altPhone: (locale.mobile ?? pick(r, locale.cities).landline)(r, r() < 0.5),
      colleague: {
        name: `${colleagueFirst} ${colleagueLast}`,
        email: uniqueEmail(`${ascii(colleagueFirst)}.${ascii(colleagueLast)}`, workDomain),
      },
      order: orders.find((order) => order.customer_id === customer.id),
    };
    const firstNote = int(r, 0, NOTE_TEMPLATES.length - 1);
    // A second note, when there is one, is always a different template.
    const secondNote = (firstNote + int(r, 1, NOTE_TEMPLATES.length - 1)) % NOTE_TEMPLATES.length;
    const notes = [STATUS_NOTES[customer.status], NOTE_TEMPLATES[firstNote](facts)];
    if (r() < 0.4) notes.push(NOTE_TEMPLATES[secondNote](facts));
    customer.notes = notes.filter(Boolean).join(' ');
  }

  return { customers, orders };
}
