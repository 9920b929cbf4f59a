# strata kv: the engine's keys from the command line, one process per command.

$ strata kv put --db shop --create apple red
$ strata kv put --db shop banana yellow
$ strata kv put --db shop --sync cherry 'dark red'
$ strata kv get --db shop cherry
dark red
$ strata kv scan --db shop
apple	red
banana	yellow
cherry	dark red

# A put overwrites; del removes, and deleting a missing key is fine.
$ strata kv put --db shop apple green
$ strata kv del --db shop banana
$ strata kv del --db shop --sync durian
$ strata kv scan --db shop
apple	green
cherry	dark red

# --from is inclusive, --to exclusive, --limit caps the lines.
$ for k in k1 k2 k3 k4 k5; do strata kv put --db shop $k v$k; done
$ strata kv scan --db shop --from k2 --to k4
k2	vk2
k3	vk3
$ strata kv scan --db shop --from k --limit 2
k1	vk1
k2	vk2
$ strata kv scan --db shop --from zzz

# A missing key exits 1, with a message on stderr only.
$ strata kv get --db shop banana; echo "exit $?"
strata kv get: key "banana" not found
exit 1
$ strata kv get --db shop banana 2>/dev/null; echo "exit $?"
exit 1

# Without --create a DB that is not there is an error; put says how to make one.
$ strata kv put --db nodb k v; echo "exit $?"
strata kv put: InvalidArgument: nodb: is not a Strata DB (no CURRENT); set create_if_missing
strata kv put: pass --create to make a new DB
exit 1
$ strata kv get --db nodb k; echo "exit $?"
strata kv get: InvalidArgument: nodb: is not a Strata DB (no CURRENT); set create_if_missing
exit 1
$ strata kv scan --db nodb; echo "exit $?"
strata kv scan: InvalidArgument: nodb: is not a Strata DB (no CURRENT); set create_if_missing
exit 1
$ strata kv del --db nodb k; echo "exit $?"
strata kv del: InvalidArgument: nodb: is not a Strata DB (no CURRENT); set create_if_missing
exit 1
$ ls
shop

# --db is required, and so are KEY and VALUE.
$ strata kv get apple; echo "exit $?"
--db is required
Run with --help for more information.
exit 106
$ strata kv put --db shop apple; echo "exit $?"
VALUE is required
Run with --help for more information.
exit 106
$ strata kv; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
