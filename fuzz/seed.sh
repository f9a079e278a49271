#!/usr/bin/env bash
# Builds the seed corpora in fuzz/corpus/<target>/ from a generated package and from
# ../shared/corpus (when present). Seeds are kept small (< 256 KiB) so that libFuzzer mutates
# quickly. Usage: fuzz/seed.sh   (from anywhere; needs python3 and the release make-package)
set -euo pipefail
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz_dir")
shared="$root/../shared/corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && cargo run --quiet --release --bin make-package -- "$work/pkg" --size small >/dev/null)
mkdir -p "$work/ex"
for t in "$work"/pkg/*.tar; do tar -xf "$t" -C "$work/ex"; done
mkdir -p "$work/ex/aux"
find "$work/ex" -name '*auxproducts.tgz' -exec tar -xzf {} -C "$work/ex/aux" \;

corpus="$fuzz_dir/corpus"
mkdir -p "$corpus"/{tar_index,naming,fits,fits_gz,tgz,cont_dat,casa_commands}
small() { find "$@" -type f -size -256k 2>/dev/null; }
put() { # put TARGET FILE...: copies each file under a name made from its checksum
    local target=$1; shift
    for f in "$@"; do cp "$f" "$corpus/$target/$(sha1sum "$f" | cut -c1-16)"; done
}

put tar_index $(small "$work"/pkg/*auxiliary.tar)
python3 - "$corpus/tar_index" <<'PY'
import io, sys, tarfile
out = sys.argv[1]
for fmt, name in [(tarfile.USTAR_FORMAT, "ustar"), (tarfile.GNU_FORMAT, "gnu"), (tarfile.PAX_FORMAT, "pax")]:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        long = "member.uid___A001_X1_X2/product/" + "x" * 120 + ".cube.I.pbcor.fits"
        for path, data in [("a/b.txt", b"hello\n"), (long if fmt != tarfile.USTAR_FORMAT else "a/c.fits", b"SIMPLE")]:
            info = tarfile.TarInfo(path); info.size = len(data); t.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("a/link"); link.type = tarfile.SYMTYPE; link.linkname = "b.txt"; t.addfile(link)
        hard = tarfile.TarInfo("a/hard"); hard.type = tarfile.LNKTYPE; hard.linkname = "a/b.txt"; t.addfile(hard)
    open(f"{out}/seed-{name}.tar", "wb").write(buf.getvalue())
PY

find "$work/ex" -type f | sed "s|^$work/ex/||" > "$corpus/naming/package-paths"
[ -d "$shared" ] && find "$shared" -type f | sed "s|^$shared/||" > "$corpus/naming/shared-paths"

put fits $(find "$work/ex" -name '*.fits' -size -64k | head -4)
[ -d "$shared" ] && put fits $(find "$shared/fits-quirks" "$shared/alma-fits" -name '*.fits' -size -64k)

for f in $(find "$work/ex" -name '*.fits' -size -64k | head -3); do gzip -c "$f" > "$work/$(basename "$f").gz"; done
put fits_gz "$work"/*.fits.gz
[ -d "$shared" ] && put fits_gz $(small "$shared/fits-quirks" -name '*.gz' -size -64k)

put tgz $(small "$work/ex" -name '*.tgz')
[ -d "$shared" ] && put tgz $(small "$shared" -name '*.tar.gz')

put cont_dat $(find "$work/ex" -name '*cont.dat')
[ -d "$shared" ] && put cont_dat $(small "$shared/text/cont.dat")
put casa_commands $(small "$work/ex" -name '*casa_commands.log')
[ -d "$shared" ] && put casa_commands $(small "$shared/text/casa_commands.log")
for t in "$corpus"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
