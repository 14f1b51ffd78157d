/**
 * The fixed vocabulary of the simulated world: where a business is, what it sells, what
 * its customers are called. Prices are in euro cents; other currencies convert from them.
 */
import type { Rng } from './prng.js';

export type LocaleCode = 'de' | 'gb';

export type PaymentMethod = 'card' | 'cash' | 'paypal' | 'stripe' | 'bank_transfer' | 'gift_card';

export interface Locale {
  code: LocaleCode;
  currency: string;
  /** Euro cents to the local minor unit, before rounding. */
  eurRate: number;
  timezone: string;
  locations: readonly string[];
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** How customers settle at the counter. */
  paymentMethods: readonly (readonly [PaymentMethod, number])[];
  /** A phone number in E.164, drawn from the locale's ranges. */
  phone: (rng: Rng) => string;
  /** Used once `phone` keeps repeating itself, when a tenant outgrows the preferred ranges. */
  widePhone: (rng: Rng) => string;
}

function digits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(rng.int(0, 9));
  return out;
}

const DE_MOBILE_PREFIXES = [
  '151',
  '152',
  '157',
  '159',
  '160',
  '162',
  '163',
  '170',
  '171',
  '172',
  '173',
  '174',
  '175',
  '176',
  '177',
  '178',
  '179',
] as const;

/**
 * Ofcom keeps these UK ranges for drama and examples, so a demo message can never reach
 * a real person: mobile 07700 900xxx and a set of geographic ranges.
 */
const GB_DRAMA_RANGES = [
  '+447700900',
  '+441134960',
  '+441144960',
  '+441154960',
  '+441164960',
  '+441174960',
  '+441184960',
  '+441214960',
  '+441314960',
  '+441414960',
  '+441514960',
  '+441614960',
  '+442079460',
  '+441914980',
  '+442896496',
  '+441632960',
] as const;

export const LOCALES: Record<LocaleCode, Locale> = {
  de: {
    code: 'de',
    currency: 'EUR',
    eurRate: 1,
    timezone: 'Europe/Berlin',
    locations: [
      'Berlin-Mitte',
      'Berlin-Kreuzberg',
      'Hamburg-Altona',
      'München-Schwabing',
      'Köln-Ehrenfeld',
      'Leipzig-Südvorstadt',
      'Frankfurt-Sachsenhausen',
    ],
    firstNames: [
      'Anna',
      'Lena',
      'Leonie',
      'Marie',
      'Sophie',
      'Laura',
      'Julia',
      'Lea',
      'Hannah',
      'Lisa',
      'Katharina',
      'Sarah',
      'Johanna',
      'Emma',
      'Mia',
      'Clara',
      'Charlotte',
      'Jana',
      'Nina',
      'Franziska',
      'Sabine',
      'Petra',
      'Claudia',
      'Monika',
      'Andrea',
      'Birgit',
      'Ursula',
      'Özlem',
      'Ayşe',
      'Elif',
      'Jürgen',
      'Thomas',
      'Michael',
      'Andreas',
      'Stefan',
      'Markus',
      'Christian',
      'Alexander',
      'Daniel',
      'Tobias',
      'Jan',
      'Felix',
      'Lukas',
      'Maximilian',
      'Paul',
      'Jonas',
      'Leon',
      'Niklas',
      'Florian',
      'Sebastian',
      'Matthias',
      'Frank',
      'Uwe',
      'Klaus',
      'Wolfgang',
      'Mehmet',
      'Emre',
      'Piotr',
    ],
    lastNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Schulz',
      'Hoffmann',
      'Schäfer',
      'Koch',
      'Bauer',
      'Richter',
      'Klein',
      'Wolf',
      'Schröder',
      'Neumann',
      'Schwarz',
      'Zimmermann',
      'Braun',
      'Krüger',
      'Hofmann',
      'Hartmann',
      'Lange',
      'Schmitt',
      'Werner',
      'Schmitz',
      'Krause',
      'Meier',
      'Lehmann',
      'Schmid',
      'Schulze',
      'Maier',
      'Köhler',
      'Herrmann',
      'König',
      'Walter',
      'Mayer',
      'Huber',
      'Kaiser',
      'Fuchs',
      'Peters',
      'Lang',
      'Scholz',
      'Möller',
      'Weiß',
      'Jung',
      'Hahn',
      'Vogel',
      'Yılmaz',
      'Kaya',
      'Demir',
      'Nowak',
      'Kowalski',
    ],
    paymentMethods: [
      ['card', 45],
      ['cash', 30],
      ['paypal', 10],
      ['stripe', 9],
      ['gift_card', 4],
      ['bank_transfer', 2],
    ],
    phone: (rng) => `+49${rng.pick(DE_MOBILE_PREFIXES)}${digits(rng, rng.chance(0.6) ? 8 : 7)}`,
    widePhone: (rng) => `+49${rng.pick(DE_MOBILE_PREFIXES)}${digits(rng, 8)}`,
  },
  gb: {
    code: 'gb',
    currency: 'GBP',
    eurRate: 0.86,
    timezone: 'Europe/London',
    locations: [
      'London Islington',
      'London Clapham',
      'Manchester Northern Quarter',
      'Bristol Clifton',
      'Leeds Headingley',
      'Edinburgh Leith',
      'Brighton Kemptown',
    ],
    firstNames: [
      'Oliver',
      'George',
      'Harry',
      'Jack',
      'Jacob',
      'Noah',
      'Charlie',
      'Thomas',
      'Oscar',
      'William',
      'James',
      'Henry',
      'Leo',
      'Alfie',
      'Joshua',
      'Freddie',
      'Archie',
      'Ethan',
      'Isaac',
      'Daniel',
      'David',
      'Mark',
      'Paul',
      'Andrew',
      'Richard',
      'Mohammed',
      'Aarav',
      'Rhys',
      'Dylan',
      'Olivia',
      'Amelia',
      'Isla',
      'Ava',
      'Emily',
      'Sophia',
      'Grace',
      'Lily',
      'Ella',
      'Mia',
      'Poppy',
      'Evie',
      'Chloe',
      'Jessica',
      'Charlotte',
      'Sarah',
      'Emma',
      'Rachel',
      'Hannah',
      'Laura',
      'Rebecca',
      'Claire',
      'Helen',
      'Priya',
      'Aisha',
      'Fatima',
      'Siobhan',
      'Niamh',
      'Cerys',
      'Megan',
    ],
    lastNames: [
      'Smith',
      'Jones',
      'Williams',
      'Taylor',
      'Brown',
      'Davies',
      'Evans',
      'Wilson',
      'Thomas',
      'Johnson',
      'Roberts',
      'Robinson',
      'Thompson',
      'Wright',
      'Walker',
      'White',
      'Edwards',
      'Hughes',
      'Green',
      'Hall',
      'Lewis',
      'Harris',
      'Clarke',
      'Patel',
      'Jackson',
      'Wood',
      'Turner',
      'Martin',
      'Cooper',
      'Hill',
      'Ward',
      'Morris',
      'Moore',
      'Clark',
      'Lee',
      'King',
      'Baker',
      'Harrison',
      'Morgan',
      'Allen',
      'Scott',
      'Phillips',
      'Watson',
      'Parker',
      'Price',
      'Bennett',
      'Young',
      'Griffiths',
      'Mitchell',
      'Kelly',
      'Cook',
      'Carter',
      'Richardson',
      'Bailey',
      'Collins',
      'Murphy',
      'Khan',
      'Ahmed',
      "O'Brien",
      'Singh',
    ],
    paymentMethods: [
      ['card', 68],
      ['cash', 14],
      ['stripe', 8],
      ['paypal', 4],
      ['gift_card', 4],
      ['bank_transfer', 2],
    ],
    phone: (rng) => `${rng.pick(GB_DRAMA_RANGES)}${digits(rng, 3)}`,
    widePhone: (rng) => `+447${String(rng.int(4, 9))}${digits(rng, 8)}`,
  },
};

export interface ServiceTemplate {
  en: string;
  de: string;
  minutes: number;
  /** Euro cents. */
  price: number;
  /** Relative demand among the business's services. */
  popularity: number;
}

/** Opening hours per weekday, Sunday first, as [open, close] minutes after local midnight. */
export type WeekHours = readonly (readonly [number, number] | null)[];

/** A retail product sold at the counter (WooCommerce), prices in euro cents. */
export interface ProductTemplate {
  sku: string;
  en: string;
  de: string;
  price: number;
  popularity: number;
}

export const BUSINESS_KINDS = [
  'hair salon',
  'barber',
  'beauty & spa',
  'physiotherapy practice',
  'personal training studio',
] as const;
export type BusinessKind = (typeof BUSINESS_KINDS)[number];

export interface BusinessTemplate {
  kind: BusinessKind;
  hours: WeekHours;
  services: readonly ServiceTemplate[];
  /**
   * Relative demand per calendar month, January first; normalised to a mean of 1 where
   * used. Salons and spas peak before Christmas, gyms on New Year's resolutions, and
   * everyone dips in the August holidays.
   */
  monthly: readonly number[];
  /** Relative demand per weekday, Sunday first: which days people want appointments. */
  weekly: readonly number[];
  products: readonly ProductTemplate[];
}

const HAIR_PRODUCTS: readonly ProductTemplate[] = [
  {
    sku: 'HC-SHAMPOO-250',
    en: 'Repair shampoo 250 ml',
    de: 'Repair-Shampoo 250 ml',
    price: 1690,
    popularity: 30,
  },
  {
    sku: 'HC-COND-200',
    en: 'Conditioner 200 ml',
    de: 'Spülung 200 ml',
    price: 1590,
    popularity: 20,
  },
  { sku: 'HC-MASK-150', en: 'Hair mask 150 ml', de: 'Haarkur 150 ml', price: 2190, popularity: 12 },
  { sku: 'HC-OIL-100', en: 'Hair oil 100 ml', de: 'Haaröl 100 ml', price: 2490, popularity: 10 },
  {
    sku: 'HC-SPRAY-300',
    en: 'Heat protection spray',
    de: 'Hitzeschutzspray',
    price: 1390,
    popularity: 15,
  },
  { sku: 'HC-GIFT-50', en: 'Gift voucher 50', de: 'Gutschein 50', price: 5000, popularity: 6 },
];

const h = (hour: number): number => hour * 60;
const SALON_HOURS: WeekHours = [
  null,
  [h(9), h(19)],
  [h(9), h(19)],
  [h(9), h(19)],
  [h(9), h(20)],
  [h(9), h(19)],
  [h(9), h(15)],
];

export const BUSINESSES: readonly BusinessTemplate[] = [
  {
    kind: 'hair salon',
    hours: SALON_HOURS,
    monthly: [0.8, 0.85, 0.95, 1, 1.05, 1.05, 0.95, 0.85, 1, 1.05, 1.1, 1.35],
    weekly: [0, 0.8, 0.85, 0.9, 1.1, 1.3, 1.5],
    products: HAIR_PRODUCTS,
    services: [
      {
        en: "Women's cut & blow-dry",
        de: 'Damenhaarschnitt & Föhnen',
        minutes: 60,
        price: 5500,
        popularity: 30,
      },
      { en: "Men's cut", de: 'Herrenhaarschnitt', minutes: 30, price: 2800, popularity: 25 },
      { en: "Children's cut", de: 'Kinderhaarschnitt', minutes: 30, price: 1800, popularity: 8 },
      { en: 'Wash & blow-dry', de: 'Waschen & Föhnen', minutes: 45, price: 3200, popularity: 10 },
      { en: 'Full colour', de: 'Färben komplett', minutes: 120, price: 8900, popularity: 12 },
      { en: 'Highlights', de: 'Strähnen', minutes: 150, price: 11500, popularity: 9 },
      { en: 'Balayage', de: 'Balayage', minutes: 180, price: 16000, popularity: 6 },
    ],
  },
  {
    kind: 'barber',
    hours: SALON_HOURS,
    monthly: [0.9, 0.9, 0.95, 1, 1, 1.05, 1, 0.9, 1, 1, 1.05, 1.25],
    weekly: [0, 0.9, 0.85, 0.9, 1.1, 1.3, 1.6],
    products: [
      {
        sku: 'BB-POMADE',
        en: 'Matt pomade 100 ml',
        de: 'Matte Pomade 100 ml',
        price: 1490,
        popularity: 30,
      },
      {
        sku: 'BB-BEARD-OIL',
        en: 'Beard oil 30 ml',
        de: 'Bartöl 30 ml',
        price: 1690,
        popularity: 25,
      },
      {
        sku: 'BB-BALM',
        en: 'Beard balm 60 ml',
        de: 'Bartbalsam 60 ml',
        price: 1590,
        popularity: 12,
      },
      {
        sku: 'BB-SHAMPOO',
        en: "Men's shampoo 250 ml",
        de: 'Herrenshampoo 250 ml',
        price: 1290,
        popularity: 18,
      },
      {
        sku: 'BB-AFTERSHAVE',
        en: 'Aftershave balm',
        de: 'Aftershave-Balsam',
        price: 1990,
        popularity: 10,
      },
    ],
    services: [
      { en: 'Haircut', de: 'Haarschnitt', minutes: 30, price: 2500, popularity: 40 },
      { en: 'Skin fade', de: 'Skin Fade', minutes: 45, price: 3000, popularity: 20 },
      { en: 'Beard trim', de: 'Bartpflege', minutes: 20, price: 1500, popularity: 15 },
      {
        en: 'Hot towel shave',
        de: 'Nassrasur mit heißem Tuch',
        minutes: 30,
        price: 2500,
        popularity: 8,
      },
      { en: 'Cut & beard', de: 'Haarschnitt & Bart', minutes: 45, price: 3800, popularity: 17 },
    ],
  },
  {
    kind: 'beauty & spa',
    hours: SALON_HOURS,
    monthly: [0.75, 0.85, 0.95, 1, 1.1, 1.1, 0.95, 0.8, 0.95, 1, 1.15, 1.4],
    weekly: [0, 0.7, 0.8, 0.9, 1.1, 1.3, 1.5],
    products: [
      {
        sku: 'SP-SERUM',
        en: 'Hyaluronic serum 30 ml',
        de: 'Hyaluron-Serum 30 ml',
        price: 3490,
        popularity: 18,
      },
      {
        sku: 'SP-CREAM',
        en: 'Day cream 50 ml',
        de: 'Tagescreme 50 ml',
        price: 2890,
        popularity: 22,
      },
      { sku: 'SP-NAIL-OIL', en: 'Cuticle oil', de: 'Nagelhautöl', price: 990, popularity: 15 },
      { sku: 'SP-POLISH', en: 'Nail polish', de: 'Nagellack', price: 1290, popularity: 20 },
      {
        sku: 'SP-MASSAGE-OIL',
        en: 'Massage oil 100 ml',
        de: 'Massageöl 100 ml',
        price: 1890,
        popularity: 10,
      },
      {
        sku: 'SP-GIFT-75',
        en: 'Spa gift voucher 75',
        de: 'Wellness-Gutschein 75',
        price: 7500,
        popularity: 8,
      },
    ],
    services: [
      {
        en: 'Classic facial',
        de: 'Klassische Gesichtsbehandlung',
        minutes: 60,
        price: 6500,
        popularity: 15,
      },
      { en: 'Swedish massage', de: 'Klassische Massage', minutes: 60, price: 6900, popularity: 18 },
      {
        en: 'Deep-tissue massage',
        de: 'Tiefengewebsmassage',
        minutes: 90,
        price: 9500,
        popularity: 10,
      },
      { en: 'Manicure', de: 'Maniküre', minutes: 45, price: 3500, popularity: 20 },
      { en: 'Pedicure', de: 'Pediküre', minutes: 60, price: 4500, popularity: 14 },
      { en: 'Eyebrow shaping', de: 'Augenbrauen zupfen', minutes: 20, price: 1500, popularity: 12 },
      { en: 'Gel nails', de: 'Gelnägel', minutes: 75, price: 5500, popularity: 11 },
    ],
  },
  {
    kind: 'physiotherapy practice',
    hours: [null, [h(8), h(19)], [h(8), h(19)], [h(8), h(19)], [h(8), h(19)], [h(8), h(16)], null],
    monthly: [1.15, 1.1, 1.1, 1, 1, 0.95, 0.9, 0.8, 1, 1.05, 1.05, 0.9],
    weekly: [0, 1.15, 1.05, 1, 1, 0.8, 0],
    products: [
      {
        sku: 'PT-BAND-SET',
        en: 'Resistance band set',
        de: 'Fitnessband-Set',
        price: 2490,
        popularity: 25,
      },
      { sku: 'PT-KINESIO', en: 'Kinesiology tape', de: 'Kinesio-Tape', price: 990, popularity: 30 },
      {
        sku: 'PT-HEAT-GEL',
        en: 'Warming gel 100 ml',
        de: 'Wärmegel 100 ml',
        price: 1290,
        popularity: 20,
      },
      { sku: 'PT-ROLLER', en: 'Foam roller', de: 'Faszienrolle', price: 2990, popularity: 15 },
    ],
    services: [
      { en: 'Initial assessment', de: 'Erstbefundung', minutes: 60, price: 9000, popularity: 12 },
      {
        en: 'Physiotherapy session',
        de: 'Krankengymnastik',
        minutes: 30,
        price: 4500,
        popularity: 40,
      },
      { en: 'Manual therapy', de: 'Manuelle Therapie', minutes: 45, price: 6000, popularity: 22 },
      { en: 'Sports massage', de: 'Sportmassage', minutes: 60, price: 6500, popularity: 14 },
      { en: 'Lymphatic drainage', de: 'Lymphdrainage', minutes: 45, price: 5500, popularity: 12 },
    ],
  },
  {
    kind: 'personal training studio',
    monthly: [1.55, 1.3, 1.1, 1.05, 1.05, 0.95, 0.8, 0.75, 0.95, 0.95, 0.9, 0.65],
    weekly: [0.6, 1.35, 1.2, 1.1, 1, 0.8, 0.7],
    products: [
      {
        sku: 'FT-WHEY-1KG',
        en: 'Whey protein 1 kg',
        de: 'Whey-Protein 1 kg',
        price: 3490,
        popularity: 30,
      },
      {
        sku: 'FT-BAR-12',
        en: 'Protein bars (12)',
        de: 'Proteinriegel (12 Stück)',
        price: 2390,
        popularity: 25,
      },
      { sku: 'FT-SHAKER', en: 'Shaker bottle', de: 'Shaker', price: 990, popularity: 15 },
      { sku: 'FT-TOWEL', en: 'Gym towel', de: 'Fitnesshandtuch', price: 1490, popularity: 10 },
      { sku: 'FT-10-PACK', en: '10-session card', de: '10er-Karte', price: 59000, popularity: 5 },
    ],
    hours: [
      [h(9), h(14)],
      [h(7), h(21)],
      [h(7), h(21)],
      [h(7), h(21)],
      [h(7), h(21)],
      [h(7), h(20)],
      [h(8), h(16)],
    ],
    services: [
      {
        en: 'Personal training',
        de: 'Personal Training',
        minutes: 60,
        price: 7000,
        popularity: 45,
      },
      {
        en: 'Personal training (30 min)',
        de: 'Personal Training (30 Min.)',
        minutes: 30,
        price: 4000,
        popularity: 20,
      },
      { en: 'Fitness assessment', de: 'Fitness-Check', minutes: 45, price: 5000, popularity: 10 },
      { en: 'Partner training', de: 'Partnertraining', minutes: 60, price: 9000, popularity: 12 },
      {
        en: 'Nutrition coaching',
        de: 'Ernährungsberatung',
        minutes: 45,
        price: 6000,
        popularity: 13,
      },
    ],
  },
];

/** Domains reserved for examples (RFC 2606), so no demo email can reach a real mailbox. */
export const EMAIL_DOMAINS = [
  'example.com',
  'example.net',
  'example.org',
  'mail.example.com',
  'post.example.net',
] as const;

export const CANCELLATION_REASONS = [
  'Feeling unwell',
  'Work commitment',
  'Schedule conflict',
  'Childcare fell through',
  'Travelling',
  'No reason given',
] as const;

export const RESCHEDULE_REASONS = [
  'Customer request',
  'Schedule conflict',
  'Staff unavailable',
  'Running late',
] as const;

export const BOOKING_NOTES = [
  'First visit, referred by a friend',
  'Prefers a quiet appointment',
  'Sensitive scalp',
  'Allergic to latex',
  'Please call on arrival',
  'Parking needed',
] as const;
