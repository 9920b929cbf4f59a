// What report_fixture (report_fixture.cc) put into its report, written down again by hand, and
// how the page must show it. Change both files together. Nothing here is computed by the code
// under test: shares and CSV lines were worked out by hand (and checked with a calculator).

export const kGeneratedAtMs = 1796054861000; // 2026-11-30T16:07:41Z
const kMiB = 1024 * 1024;
const kGiB = 1024 * kMiB;
const kHourMs = 3600e3;

export const kCluster = 'eu-west "orders" <b>&amp;</b> \u2713';
export const kBatch = '2026-11-30_16-05-09.123Z';
export const kTitle = `Redis RDB report: ${kCluster}, ${kBatch}`;

// Headline figures: data-stat -> [text shown, exact value].
export const kStats = {
  keys: ['1,234,567', 1234567],
  memory: ['7.00 GiB', 7 * kGiB],
  rdb: ['3.00 GiB', 3221225472],
  expiring: ['456,789', 456789],
  instances: ['3', 3],
};

const kInstances = ['10.0.1.11:6379', '10.0.1.12:6379', '10.0.1.13:6379'];

// Rows of the totals tables as [name, keys, memory, rdb, expiring].
export const kGroups = {
  'table-by-db': [
    ['0', 1200000, 7301444608, 3100000000, 450000],
    ['1', 34567, 214748160, 121225472, 6789],
  ],
  'table-by-type': [
    ['string', 800000, 2 * kGiB, 1000000000, 400000],
    ['hash', 300000, 3 * kGiB, 1500000000, 50000],
    ['zset', 100000, 1536 * kMiB, 600000000, 6000],
    ['list', 34567, 512 * kMiB, 121225472, 789],
  ],
  'table-by-encoding': [
    ['embstr', 600000, kGiB, 400000000, 300000],
    ['raw', 200000, kGiB, 600000000, 100000],
    ['listpack', 250000, 2 * kGiB, 1200000000, 45000],
    ['hashtable', 50000, kGiB, 300000000, 5000],
    ['skiplist', 100000, 1536 * kMiB, 600000000, 6000],
    ['quicklist', 34567, 512 * kMiB, 121225472, 789],
  ],
  'table-by-instance': [
    [kInstances[0], 500000, 3 * kGiB, 1400000000, 200000],
    [kInstances[1], 434567, 2560 * kMiB, 1121225472, 156789],
    [kInstances[2], 300000, 1536 * kMiB, 700000000, 100000],
  ],
};

// The by-type table exactly as a reader sees it (cell text, left to right).
export const kByTypeText = [
  ['string', '800,000', '64.8%', '2.00 GiB', '28.6%', '954 MiB', '400,000', '2.62 KiB'],
  ['hash', '300,000', '24.3%', '3.00 GiB', '42.9%', '1.40 GiB', '50,000', '10.5 KiB'],
  ['zset', '100,000', '8.1%', '1.50 GiB', '21.4%', '572 MiB', '6,000', '15.7 KiB'],
  ['list', '34,567', '2.8%', '512 MiB', '7.1%', '116 MiB', '789', '15.2 KiB'],
];

export const kByTypeCsv =
  'type,keys,keys_pct,memory_bytes,memory_pct,rdb_bytes,expiring_keys,memory_per_key\r\n' +
  'string,800000,64.80,2147483648,28.57,1000000000,400000,2684\r\n' +
  'hash,300000,24.30,3221225472,42.86,1500000000,50000,10737\r\n' +
  'zset,100000,8.10,1610612736,21.43,600000000,6000,16106\r\n' +
  'list,34567,2.80,536870912,7.14,121225472,789,15531\r\n';

const kLongKey = `long:${'0123456789'.repeat(300)}`;

// The awkward keys, in the fixture's order: [key as the page shows it, type, encoding,
// members, expires cell text]. Escapes: every byte that is not visible UTF-8, and the
// backslash, as \xNN.
export const kAwkward = [
  ['</script><script>window.pwned=1</script>', 'string', 'raw', 1, 'none'],
  ['bin:\\x00\\x01\\xff\\xfe\\x1b[31m', 'hash', 'hashtable', 25000, '2026-11-30 16:37:41 in 30 min'],
  ['he said "hi" & <b>bold</b> \'x\'', 'zset', 'skiplist', 300, '2026-11-30 21:07:41 in 5 h'],
  ['\u7528\u6237:\u043a\u043b\u044e\u0447:\u{1F600}', 'hash', 'listpack', 120, '2026-12-12 16:07:41 in 12 d'],
  ['line\\xe2\\x80\\xa8sep\\xe2\\x80\\xa9end', 'string', 'embstr', 1, '1970-01-01 00:00:00 expired'],
  [kLongKey, 'list', 'quicklist', 70000, 'out of range'],
  ['=HYPERLINK("http://evil.example","x"),1', 'string', 'raw', 1, '1969-12-31 23:59:59 expired'],
  ['C:\\x5ctemp\\x5cx41', 'string', 'raw', 1, 'none'],
  ['abc\\xe2\\x80\\xaeevil', 'set', 'hashtable', 900, 'none'],
  ['bad:\\xc3(|\\xc0\\xaf|\\xed\\xa0\\x80|\\xe2\\x82', 'string', 'raw', 1, 'none'],
  ['', 'string', 'raw', 1, 'none'],
  ['multi\\x0aline\\x09key', 'string', 'raw', 1, 'none'],
  ['<img src=x onerror=window.pwned=2>', 'string', 'raw', 1, 'none'],
  ['<!--<script>\\xc2\\xa0nbsp', 'string', 'raw', 1, 'none'],
];

// The 100 top keys as { instance, db, key, type, encoding, members, memory, rdb, expire }:
// the awkward ones (200 MiB, then 10,000,000 bytes less each), then 86 generated ones.
export function topKeys() {
  const rows = kAwkward.map(([key, type, encoding, members, expiresText], j) => {
    const memory = 200 * kMiB - j * 10000000;
    return {
      instance: kInstances[j % 3], db: j % 3 === 2 ? 1 : 0, key, type, encoding, members, memory,
      rdb: memory / 2, expiresText,
    };
  });
  const types = ['hash', 'zset', 'list', 'set'];
  const encodings = ['listpack', 'skiplist', 'quicklist', 'intset'];
  for (let i = 0; i < 86; i++) {
    const memory = 40000000 - 400000 * i;
    rows.push({
      instance: kInstances[i % 3], db: i % 2, key: `cache:item:${String(i).padStart(5, '0')}`,
      type: types[i % 4], encoding: encodings[i % 4], members: 1000 + 37 * i, memory,
      rdb: Math.floor(memory / 5) * 2, expire: i % 4 === 0 ? kGeneratedAtMs + (i + 1) * kHourMs : null,
    });
  }
  return rows;
}

// Memory text of the first top keys.
export const kTopMemoryText = ['200 MiB', '190 MiB', '181 MiB', '171 MiB', '162 MiB'];

// Lines of the top keys CSV (line 0 is the header).
export const kTopKeysCsv = {
  0: 'rank,instance,db,key,type,encoding,members,memory_bytes,memory_pct,rdb_bytes,expire_at',
  1: '1,10.0.1.11:6379,0,</script><script>window.pwned=1</script>,string,raw,1,209715200,2.79,104857600,',
  2: '2,10.0.1.12:6379,0,bin:\\x00\\x01\\xff\\xfe\\x1b[31m,hash,hashtable,25000,199715200,2.66,99857600,' +
     '2026-11-30T16:37:41.000Z',
  3: '3,10.0.1.13:6379,1,"he said ""hi"" & <b>bold</b> \'x\'",zset,skiplist,300,189715200,2.52,94857600,' +
     '2026-11-30T21:07:41.000Z',
  6: `6,10.0.1.13:6379,1,${kLongKey},list,quicklist,70000,159715200,2.12,79857600,9223372036854775807`,
  7: '7,10.0.1.11:6379,0,"\'=HYPERLINK(""http://evil.example"",""x""),1",string,raw,1,149715200,1.99,' +
     '74857600,1969-12-31T23:59:59.999Z',
  11: '11,10.0.1.12:6379,0,,string,raw,1,109715200,1.46,54857600,',
  15: '15,10.0.1.11:6379,0,cache:item:00000,hash,listpack,1000,40000000,0.53,16000000,2026-11-30T17:07:41.000Z',
  100: '100,10.0.1.12:6379,1,cache:item:00085,zset,skiplist,4145,6000000,0.08,2400000,',
};

// Prefix tree nodes: display prefix -> memory in MiB (the root: 7 GiB).
export const kPrefixMiB = {
  'user:': 3072, 'user:session:': 2048, 'user:session:web:': 1536, 'user:session:api:': 256,
  'user:profile:': 768, 'cache:': 2560, 'cache:item:': 2048, 'cache:page:': 256,
  '\u7528\u6237:': 256, 'bin:\\x00\\xff:': 128, '</script><b>': 100,
};
export const kRootMiB = 7168;

// Slots: the warning and the cards of each scheme.
export const kSlots = {
  'slots-redis': {
    several: 2,
    cards: {
      'slots-seen': '16,384', 'slot-min': '100 KiB', 'slot-max': '256 MiB', 'slot-mean': '448 KiB',
      'slot-stddev': '2.24 MiB',
    },
    largestMemoryText: ['256 MiB', '64.0 MiB', '32.0 MiB'],
  },
  'slots-codis': {
    several: 0,
    cards: {
      'slots-seen': '1,000', 'slot-min': '1.00 MiB', 'slot-max': '32.0 MiB', 'slot-mean': '7.17 MiB',
      'slot-stddev': '1.18 MiB',
    },
    largestMemoryText: ['32.0 MiB', '16.0 MiB'],
  },
};

// Expiry buckets as [label, keys text, memory text].
export const kExpiry = [
  ['expired', '1,234', '10.0 MiB'], ['< 1 h', '12,345', '64.0 MiB'], ['< 1 d', '100,000', '512 MiB'],
  ['< 7 d', '200,000', '1.00 GiB'], ['later', '143,210', '1.50 GiB'], ['none', '777,778', '3.93 GiB'],
];
