#!/usr/bin/env bash
# Builds a large RDB file with Debian's redis-server, for the RDB benchmarks.
#
#   bench/compare/make_big_rdb.sh OUT.rdb [SCALE]
#
# SCALE 1 (the default) gives a file of about 1.2 GB: four databases; about 5.8 million
# strings of 20 to 800 bytes (some with expiries; DEBUG POPULATE pads its values, so the file
# is written with rdbcompression off to keep them from shrinking to nothing under LZF); 400,000 small hashes, 200,000 small lists,
# 200,000 small sets and 150,000 small zsets (listpack/intset encodings); 2,000 larger ones of
# each type (hashtable/skiplist/quicklist encodings); a few big keys: a 64 MiB string, a hash
# of 1,000,000 fields, a list of 1,000,000 elements, a zset of 500,000 members and a stream
# of 200,000 entries with consumer groups. Everything is generated inside the server (DEBUG
# POPULATE and Lua), so it takes about a minute. The server runs on a free loopback port in a
# temporary directory and is shut down at the end.
set -euo pipefail
out=${1:?usage: make_big_rdb.sh OUT.rdb [SCALE]}
scale=${2:-1}
command -v redis-server >/dev/null || { echo "redis-server missing: scripts/install-deps.sh" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
cleanup() { redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --dbfilename dump.rdb --save "" \
  --appendonly no --enable-debug-command yes --daemonize yes --logfile "$work/redis.log" \
  --proto-max-bulk-len 1gb --rdbcompression no >/dev/null
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
cli() { redis-cli -p "$port" "$@"; }
n() { echo $(( $1 * scale )); }

# Strings, in four databases: DEBUG POPULATE writes "key:N" = "value:N" padded to the size.
cli -n 0 debug populate "$(n 3000000)" str 40 >/dev/null
cli -n 1 debug populate "$(n 1500000)" s1 100 >/dev/null
cli -n 2 debug populate "$(n 800000)" s2 800 >/dev/null
cli -n 3 debug populate "$(n 500000)" s3 20 >/dev/null
# Expiries on a tenth of db 0's strings, spread over the next few days.
cli -n 0 eval "for i=0,ARGV[1]-1,10 do redis.call('pexpire','str:'..i, 3600000 + i) end" 0 "$(n 3000000)" >/dev/null

# Small containers (compact encodings) and a few larger ones, built in Lua.
cli -n 0 eval "
for i=1,ARGV[1] do
  local k='h:'..i
  for f=1,5+i%10 do redis.call('hset',k,'field'..f,'value'..(i*f)) end
end
for i=1,ARGV[2] do
  local k='l:'..i
  for e=1,3+i%20 do redis.call('rpush',k,'element-'..e) end
end
for i=1,ARGV[3] do
  local k='s:'..i
  for e=1,4+i%15 do redis.call('sadd',k, (i%2==0) and e*1000 or 'member'..e) end
end
for i=1,ARGV[4] do
  local k='z:'..i
  for e=1,4+i%12 do redis.call('zadd',k,e*1.5,'m'..e) end
end
return 1" 0 "$(n 400000)" "$(n 200000)" "$(n 200000)" "$(n 150000)" >/dev/null
cli -n 1 eval "
for i=1,ARGV[1] do
  local n=200+i%300
  for f=1,n do redis.call('hset','bh:'..i,'field:'..f,string.rep('x',20)) end
  for e=1,n do redis.call('rpush','bl:'..i,'element:'..e) end
  for e=1,n do redis.call('sadd','bs:'..i,'member:'..e) end
  for e=1,n do redis.call('zadd','bz:'..i,e,'member:'..e) end
end
return 1" 0 "$(n 2000)" >/dev/null

# Big keys.
cli -n 2 setrange big:string $((64 * 1024 * 1024 - 1)) x >/dev/null
cli -n 2 eval "for i=1,ARGV[1] do redis.call('hset','big:hash','f'..i,i) end" 0 "$(n 1000000)" >/dev/null
cli -n 2 eval "for i=1,ARGV[1] do redis.call('rpush','big:list','item'..i) end" 0 "$(n 1000000)" >/dev/null
cli -n 2 eval "for i=1,ARGV[1] do redis.call('zadd','big:zset',i*0.5,'m'..i) end" 0 "$(n 500000)" >/dev/null
cli -n 3 eval "for i=1,ARGV[1] do redis.call('xadd','big:stream','*','field','value'..i,'n',i) end" 0 "$(n 200000)" >/dev/null
cli -n 3 xgroup create big:stream readers 0 >/dev/null
cli -n 3 xreadgroup group readers alice count 1000 streams big:stream '>' >/dev/null

cli save >/dev/null
mv "$work/dump.rdb" "$out"
echo "make_big_rdb: $(du -h "$out" | cut -f1) in $out ($(cli dbsize) keys in db 0)"
