// What a live Redis says about every key it holds, as the rows an RDB dump of it must have.
// Everything comes from the server through redis-cli (SCAN, TYPE, HLEN/SCARD/ZCARD/LLEN/XLEN,
// PEXPIRETIME, OBJECT ENCODING, DEBUG OBJECT, GETRANGE), never from Strata.
//
// The dump reports a value's encoding *in the file*, while OBJECT ENCODING names the
// encoding in memory; kEncodingInFile below maps one to the other, following how Redis's
// rdbSaveObject writes each in-memory encoding.

// The row fields compared with the server, in the order of the dump's columns.
export const kServerFields = ['db', 'key', 'type', 'member_count', 'rdb_size', 'encoding',
                              'expire_at', 'idle_seconds', 'freq'];

// In-memory encoding (OBJECT ENCODING) -> the encoding the dump reports, per TYPE. Strings
// are not in the table: see stringEncodingInFile.
//
// hash   listpack  -> listpack    RDB_TYPE_HASH_LISTPACK (16): the listpack saved as one blob
//        hashtable -> hashtable   RDB_TYPE_HASH (4): the fields and values one by one
// set    intset    -> intset      RDB_TYPE_SET_INTSET (11): the intset saved as one blob
//        listpack  -> listpack    RDB_TYPE_SET_LISTPACK (20): Redis 7.2+ only; a 7.0 server
//                                 keeps small non-integer sets in a hashtable
//        hashtable -> hashtable   RDB_TYPE_SET (2): the members one by one
// zset   listpack  -> listpack    RDB_TYPE_ZSET_LISTPACK (17): one blob
//        skiplist  -> skiplist    RDB_TYPE_ZSET_2 (5): members with binary double scores
// list   quicklist -> quicklist2  RDB_TYPE_LIST_QUICKLIST_2 (18): each node as a listpack
//                                 blob (PACKED, LZF-compressed when the node is compressed
//                                 in memory) or as one plain string (PLAIN nodes)
//        listpack  -> quicklist2  Redis 7.2+ keeps small lists in one listpack, and saves
//                                 it as a one-node QUICKLIST_2 all the same
// stream stream    -> listpacks2  RDB_TYPE_STREAM_LISTPACKS_2 (19), written by Redis 7.0
//                     listpacks3  RDB_TYPE_STREAM_LISTPACKS_3 (21), written by 7.2 and later
export function encodingInFile(redisVersion) {
  const newer = redisVersion[0] > 7 || (redisVersion[0] === 7 && redisVersion[1] >= 2);
  return {
    hash: { listpack: 'listpack', hashtable: 'hashtable' },
    set: { intset: 'intset', listpack: 'listpack', hashtable: 'hashtable' },
    zset: { listpack: 'listpack', skiplist: 'skiplist' },
    list: { quicklist: 'quicklist2', listpack: 'quicklist2' },
    stream: { stream: newer ? 'listpacks3' : 'listpacks2' },
  };
}

const kInt32Min = -(2 ** 31);
const kInt32Max = 2 ** 31 - 1;

// Bytes of an RDB length prefix for len (RDB_6BITLEN, RDB_14BITLEN, RDB_32BITLEN, 64BITLEN).
function rdbLenBytes(len) {
  if (len < 64) return 1;
  if (len < 16384) return 2;
  return len <= 0xffffffff ? 5 : 9;
}

// Whether Redis's rdbTryIntegerEncoding turns these bytes into an integer encoding: a
// canonical decimal (the text string2ll parses and ll2string gives back unchanged) that fits
// in 32 bits (rdbEncodeInteger's INT8/16/32 encodings).
function rdbIntegerEncodable(bytes) {
  const text = bytes.toString('latin1');
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return false;
  const n = Number(text);
  return n >= kInt32Min && n <= kInt32Max;
}

// The file encoding of a string (int, lzf or raw), from what the server reports:
//   OBJECT ENCODING int      the value is a long in memory; rdbSaveLongLongAsStringObject
//                            writes "int" when it fits in 32 bits, else its decimal text,
//                            "raw" (at most 20 bytes: never compressed).
//   embstr / raw             rdbSaveRawString: up to 11 bytes that are a canonical 32-bit
//                            decimal are written as "int" (so a raw "123" made by APPEND is
//                            an int in the file); otherwise, with rdbcompression yes and
//                            more than 20 bytes, LZF when compression saves at least 4 bytes
//                            ("lzf"); otherwise the bytes as they are ("raw").
// Whether LZF won is read from DEBUG OBJECT's serializedlength (rdbSavedObjectLen, the bytes
// rdbSaveObject writes for the value): below a plain string's length-prefix-plus-bytes, the
// value was compressed.
export function stringEncodingInFile({ objectEncoding, length, head, serializedLength,
                                       compression }) {
  if (objectEncoding === 'int') return rdbIntegerEncodable(head) ? 'int' : 'raw';
  if (objectEncoding !== 'embstr' && objectEncoding !== 'raw') {
    throw new Error(`unknown string encoding ${objectEncoding}`);
  }
  if (length <= 11 && rdbIntegerEncodable(head)) return 'int';
  if (serializedLength < rdbLenBytes(length) + length) {
    if (!compression || length <= 20) {
      throw new Error(`a ${length}-byte string saved in ${serializedLength} bytes, ` +
                      `rdbcompression ${compression ? 'yes' : 'no'}`);
    }
    return 'lzf';
  }
  return 'raw';
}

const kCountCommand = { hash: 'HLEN', set: 'SCARD', zset: 'ZCARD', list: 'LLEN', stream: 'XLEN' };

function text(reply) {
  if (reply?.error) throw new Error(reply.error);
  return Buffer.isBuffer(reply) ? reply.toString('latin1') : String(reply);
}

function integer(reply) {
  if (typeof reply !== 'number') throw new Error(`expected an integer reply, got ${text(reply)}`);
  return reply;
}

// Every key of every database, by SCAN: Map db -> [key Buffer]. A cluster node has db 0
// only (cluster: true).
export function scanAll(server, { readonly = false, cluster = false } = {}) {
  const databases = cluster ? 1 : Number(text(server.call('CONFIG', 'GET', 'databases').databases));
  const out = new Map();
  for (let db = 0; db < databases; db++) {
    const keys = [];
    let cursor = '0';
    do {
      const prefix = readonly ? [['READONLY']] : [];
      const replies = server.query([...prefix, ['SCAN', cursor, 'COUNT', '1000']], { db });
      const [next, batch] = replies[replies.length - 1];
      cursor = text(next);
      keys.push(...batch);
    } while (cursor !== '0');
    // SCAN may return a key twice (a rehash in between); a set of the bytes is the key set.
    const unique = new Map(keys.map((k) => [k.toString('hex'), k]));
    if (unique.size > 0) out.set(db, [...unique.values()]);
  }
  return out;
}

// The expected rows of a dump of server: one object per key with kServerFields (expire_at
// in milliseconds or null). For a cluster node, set cluster; readonly sends READONLY first
// (a cluster replica answers its master's keys only after it).
export function expectedRows(server, { redisVersion, cluster = false, readonly = false }) {
  const table = encodingInFile(redisVersion);
  const compression = text(server.call('CONFIG', 'GET', 'rdbcompression').rdbcompression) === 'yes';
  // idle_seconds and freq are in the file only under an LRU or LFU maxmemory-policy.
  const policy = text(server.call('CONFIG', 'GET', 'maxmemory-policy')['maxmemory-policy']);
  if (policy !== 'noeviction') {
    throw new Error(`expected maxmemory-policy noeviction, got ${policy}`);
  }
  const prefix = readonly ? [['READONLY']] : [];
  const strip = (replies) => replies.slice(prefix.length);
  const rows = [];
  for (const [db, keys] of scanAll(server, { readonly, cluster })) {
    // Pass 1: what every key is; pass 2: its size, by type.
    const first = strip(server.query([...prefix, ...keys.flatMap((k) => [
      ['TYPE', k], ['OBJECT', 'ENCODING', k], ['PEXPIRETIME', k], ['DEBUG', 'OBJECT', k],
    ])], { db }));
    const facts = keys.map((key, i) => {
      const [type, objectEncoding, expireTime, debug] = first.slice(4 * i, 4 * i + 4);
      const m = text(debug).match(/serializedlength:(\d+)/);
      if (!m) throw new Error(`DEBUG OBJECT ${key.toString('hex')}: ${text(debug)}`);
      return {
        key, type: text(type), objectEncoding: text(objectEncoding),
        expireTime: integer(expireTime), serializedLength: Number(m[1]),
      };
    });
    const second = strip(server.query([...prefix, ...facts.flatMap((f) => (f.type === 'string'
      ? [['STRLEN', f.key], ['GETRANGE', f.key, '0', '19']]
      : [[kCountCommand[f.type] ?? 'TYPE', f.key], ['PING']]))], { db }));
    facts.forEach((f, i) => {
      const [count, head] = second.slice(2 * i, 2 * i + 2);
      let encoding;
      let memberCount;
      if (f.type === 'string') {
        memberCount = 1;
        encoding = stringEncodingInFile({
          objectEncoding: f.objectEncoding, length: integer(count), head,
          serializedLength: f.serializedLength, compression,
        });
      } else {
        memberCount = integer(count);
        encoding = table[f.type]?.[f.objectEncoding];
        if (!encoding) throw new Error(`no file encoding known for ${f.type} ${f.objectEncoding}`);
      }
      rows.push({
        db, key: f.key, type: f.type, member_count: memberCount, rdb_size: f.serializedLength,
        encoding, expire_at: f.expireTime === -1 ? null : f.expireTime,
        idle_seconds: null, freq: null,
        stringLength: f.type === 'string' ? integer(count) : null, // STRLEN, for big keys
        objectEncoding: f.objectEncoding, // for messages and the coverage summary
      });
    });
  }
  return rows;
}
