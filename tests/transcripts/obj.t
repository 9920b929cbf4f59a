# strata obj: objects in local directories (the same commands take s3:// URLs). Each command
# ends with a summary on stderr when it is a terminal, as here; times and rates vary.

$ printf 'hello\n' > hello.txt
$ mkdir -p photos/2025 && printf 'jpeg' > photos/2025/a.jpg && printf 'jpeg!' > photos/2025/b.jpg
$ strata obj put hello.txt bucket/
uploaded 1 object, 6 B in ... s (.../s)
$ strata obj put -r photos bucket/photos
uploaded 2 objects, 9 B in ... s (.../s)
$ printf 'from a pipe' | strata obj put - bucket/notes/pipe.txt
uploaded 1 object, 11 B in ... s (.../s)

# ls lists one level like aws s3 ls: objects and the next level's prefixes, in key order.
# Without a trailing '/', the last part of the URL is a prefix of names.
$ strata obj ls bucket/
hello.txt
notes/
photos/
$ strata obj ls bucket/ph
photos/
$ strata obj ls -r bucket/photos/
2025/a.jpg
2025/b.jpg
$ strata obj ls --long bucket/photos/2025/
...Z             4  ...  a.jpg
...Z             5  ...  b.jpg
$ strata obj ls bucket/videos/; echo "exit $?"
strata obj ls: bucket/videos/: NotFound: no object's key starts with this prefix
exit 1

# stat: one block per object; a missing one is an error, the others are still shown.
$ strata obj stat bucket/hello.txt bucket/gone.txt; echo "exit $?"
url: file://.../bucket/hello.txt
size: 6
etag: ...
last-modified: ...Z
strata obj stat: ...bucket/gone.txt...
exit 1

# cat streams to stdout; --range takes bytes as HTTP does, both ends included.
$ strata obj cat bucket/notes/pipe.txt; echo
from a pipe
$ strata obj cat --range 5-8 bucket/notes/pipe.txt; echo
a pi
$ strata obj cat --range -4 bucket/notes/pipe.txt; echo
pipe

# get writes atomically (-q: no summary); with -r a whole prefix comes down as a directory
# tree.
$ strata obj get bucket/hello.txt copy.txt && cat copy.txt
downloaded 1 object, 6 B in ... s (.../s)
hello
$ strata obj get -q bucket/hello.txt quiet.txt
$ strata obj get -r bucket/photos/ restored && find restored -type f | sort
downloaded 2 objects, 9 B in ... s (.../s)
restored/2025/a.jpg
restored/2025/b.jpg

# A conditional put that loses exits 3 and writes nothing.
$ strata obj put --if-absent hello.txt bucket/lock; echo "exit $?"
uploaded 1 object, 6 B in ... s (.../s)
exit 0
$ strata obj put --if-absent copy.txt bucket/lock; echo "exit $?"
strata obj put: PreconditionFailed: file://.../bucket/lock: the object exists (--if-absent); it was not replaced
exit 3

# rm: objects one by one, or with -r everything under a prefix.
$ strata obj rm bucket/lock
$ strata obj rm -r bucket/photos
deleted 2 objects in ... s
$ strata obj ls -r bucket/
hello.txt
notes/pipe.txt
